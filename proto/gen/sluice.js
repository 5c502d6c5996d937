/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const sluice = $root.sluice = (() => {

    /**
     * Namespace sluice.
     * @exports sluice
     * @namespace
     */
    const sluice = {};

    sluice.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof sluice
         * @namespace
         */
        const v1 = {};

        v1.AgentPayload = (function() {

            /**
             * Properties of an AgentPayload.
             * @typedef {Object} sluice.v1.AgentPayload.$Properties
             * @property {string|null} [agentId] AgentPayload agentId
             * @property {number|null} [seq] AgentPayload seq
             * @property {sluice.v1.HostInfo.$Properties|null} [host] AgentPayload host
             * @property {Array.<sluice.v1.Series.$Properties>|null} [series] AgentPayload series
             * @property {number|null} [createdMs] AgentPayload createdMs
             * @property {sluice.v1.AgentDrops.$Properties|null} [drops] AgentPayload drops
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AgentPayload.
             * @memberof sluice.v1
             * @interface IAgentPayload
             * @augments sluice.v1.AgentPayload.$Properties
             * @deprecated Use sluice.v1.AgentPayload.$Properties instead.
             */

            /**
             * Shape of an AgentPayload.
             * @typedef {sluice.v1.AgentPayload.$Properties} sluice.v1.AgentPayload.$Shape
             */

            /**
             * Constructs a new AgentPayload.
             * @memberof sluice.v1
             * @classdesc Represents an AgentPayload.
             * @constructor
             * @param {sluice.v1.AgentPayload.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const AgentPayload = function (properties) {
                this.series = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * AgentPayload agentId.
             * @member {string} agentId
             * @memberof sluice.v1.AgentPayload
             * @instance
             */
            AgentPayload.prototype.agentId = "";

            /**
             * AgentPayload seq.
             * @member {number} seq
             * @memberof sluice.v1.AgentPayload
             * @instance
             */
            AgentPayload.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * AgentPayload host.
             * @member {sluice.v1.HostInfo.$Properties|null|undefined} host
             * @memberof sluice.v1.AgentPayload
             * @instance
             */
            AgentPayload.prototype.host = null;

            /**
             * AgentPayload series.
             * @member {Array.<sluice.v1.Series.$Properties>} series
             * @memberof sluice.v1.AgentPayload
             * @instance
             */
            AgentPayload.prototype.series = $util.emptyArray;

            /**
             * AgentPayload createdMs.
             * @member {number} createdMs
             * @memberof sluice.v1.AgentPayload
             * @instance
             */
            AgentPayload.prototype.createdMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * AgentPayload drops.
             * @member {sluice.v1.AgentDrops.$Properties|null|undefined} drops
             * @memberof sluice.v1.AgentPayload
             * @instance
             */
            AgentPayload.prototype.drops = null;

            /**
             * Creates a new AgentPayload instance using the specified properties.
             * @function create
             * @memberof sluice.v1.AgentPayload
             * @static
             * @param {sluice.v1.AgentPayload.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.AgentPayload} AgentPayload instance
             * @type {{
             *   (properties: sluice.v1.AgentPayload.$Shape): sluice.v1.AgentPayload & sluice.v1.AgentPayload.$Shape;
             *   (properties?: sluice.v1.AgentPayload.$Properties): sluice.v1.AgentPayload;
             * }}
             */
            AgentPayload.create = function(properties) {
                return new AgentPayload(properties);
            };

            /**
             * Encodes the specified AgentPayload message. Does not implicitly {@link sluice.v1.AgentPayload.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.AgentPayload
             * @static
             * @param {sluice.v1.AgentPayload.$Properties} message AgentPayload message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AgentPayload.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.agentId != null && $Object.hasOwnProperty.call(message, "agentId") && message.agentId !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.agentId);
                if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.seq);
                if (message.host != null && $Object.hasOwnProperty.call(message, "host"))
                    $root.sluice.v1.HostInfo.encode(message.host, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.series != null && message.series.length)
                    for (let i = 0; i < message.series.length; ++i)
                        $root.sluice.v1.Series.encode(message.series[i], writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.createdMs != null && $Object.hasOwnProperty.call(message, "createdMs") && (typeof message.createdMs === "object" ? message.createdMs.low || message.createdMs.high : message.createdMs !== 0))
                    writer.uint32(/* id 5, wireType 0 =*/40).int64(message.createdMs);
                if (message.drops != null && $Object.hasOwnProperty.call(message, "drops"))
                    $root.sluice.v1.AgentDrops.encode(message.drops, writer.uint32(/* id 6, wireType 2 =*/50).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an AgentPayload message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.AgentPayload
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.AgentPayload & sluice.v1.AgentPayload.$Shape} AgentPayload
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AgentPayload.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.AgentPayload();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.agentId = value;
                            else
                                delete message.agentId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.seq = value;
                            else
                                delete message.seq;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.host = $root.sluice.v1.HostInfo.decode(reader, reader.size(), $undefined, _depth + 1, message.host);
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if (!(message.series && message.series.length))
                                message.series = [];
                            message.series.push($root.sluice.v1.Series.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.createdMs = value;
                            else
                                delete message.createdMs;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            message.drops = $root.sluice.v1.AgentDrops.decode(reader, reader.size(), $undefined, _depth + 1, message.drops);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return AgentPayload;
        })();

        v1.AgentDrops = (function() {

            /**
             * Properties of an AgentDrops.
             * @typedef {Object} sluice.v1.AgentDrops.$Properties
             * @property {number|null} [epoch] AgentDrops epoch
             * @property {Array.<sluice.v1.DropCount.$Properties>|null} [counts] AgentDrops counts
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AgentDrops.
             * @memberof sluice.v1
             * @interface IAgentDrops
             * @augments sluice.v1.AgentDrops.$Properties
             * @deprecated Use sluice.v1.AgentDrops.$Properties instead.
             */

            /**
             * Shape of an AgentDrops.
             * @typedef {sluice.v1.AgentDrops.$Properties} sluice.v1.AgentDrops.$Shape
             */

            /**
             * Constructs a new AgentDrops.
             * @memberof sluice.v1
             * @classdesc Represents an AgentDrops.
             * @constructor
             * @param {sluice.v1.AgentDrops.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const AgentDrops = function (properties) {
                this.counts = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * AgentDrops epoch.
             * @member {number} epoch
             * @memberof sluice.v1.AgentDrops
             * @instance
             */
            AgentDrops.prototype.epoch = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * AgentDrops counts.
             * @member {Array.<sluice.v1.DropCount.$Properties>} counts
             * @memberof sluice.v1.AgentDrops
             * @instance
             */
            AgentDrops.prototype.counts = $util.emptyArray;

            /**
             * Creates a new AgentDrops instance using the specified properties.
             * @function create
             * @memberof sluice.v1.AgentDrops
             * @static
             * @param {sluice.v1.AgentDrops.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.AgentDrops} AgentDrops instance
             * @type {{
             *   (properties: sluice.v1.AgentDrops.$Shape): sluice.v1.AgentDrops & sluice.v1.AgentDrops.$Shape;
             *   (properties?: sluice.v1.AgentDrops.$Properties): sluice.v1.AgentDrops;
             * }}
             */
            AgentDrops.create = function(properties) {
                return new AgentDrops(properties);
            };

            /**
             * Encodes the specified AgentDrops message. Does not implicitly {@link sluice.v1.AgentDrops.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.AgentDrops
             * @static
             * @param {sluice.v1.AgentDrops.$Properties} message AgentDrops message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AgentDrops.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.epoch != null && $Object.hasOwnProperty.call(message, "epoch") && (typeof message.epoch === "object" ? message.epoch.low || message.epoch.high : message.epoch !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).uint64(message.epoch);
                if (message.counts != null && message.counts.length)
                    for (let i = 0; i < message.counts.length; ++i)
                        $root.sluice.v1.DropCount.encode(message.counts[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an AgentDrops message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.AgentDrops
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.AgentDrops & sluice.v1.AgentDrops.$Shape} AgentDrops
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AgentDrops.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.AgentDrops();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.epoch = value;
                            else
                                delete message.epoch;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.counts && message.counts.length))
                                message.counts = [];
                            message.counts.push($root.sluice.v1.DropCount.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return AgentDrops;
        })();

        v1.DropCount = (function() {

            /**
             * Properties of a DropCount.
             * @typedef {Object} sluice.v1.DropCount.$Properties
             * @property {string|null} [reason] DropCount reason
             * @property {number|null} [payloads] DropCount payloads
             * @property {number|null} [samples] DropCount samples
             * @property {number|null} [bytes] DropCount bytes
             * @property {number|null} [minTimeMs] DropCount minTimeMs
             * @property {number|null} [maxTimeMs] DropCount maxTimeMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DropCount.
             * @memberof sluice.v1
             * @interface IDropCount
             * @augments sluice.v1.DropCount.$Properties
             * @deprecated Use sluice.v1.DropCount.$Properties instead.
             */

            /**
             * Shape of a DropCount.
             * @typedef {sluice.v1.DropCount.$Properties} sluice.v1.DropCount.$Shape
             */

            /**
             * Constructs a new DropCount.
             * @memberof sluice.v1
             * @classdesc Represents a DropCount.
             * @constructor
             * @param {sluice.v1.DropCount.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DropCount = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * DropCount reason.
             * @member {string} reason
             * @memberof sluice.v1.DropCount
             * @instance
             */
            DropCount.prototype.reason = "";

            /**
             * DropCount payloads.
             * @member {number} payloads
             * @memberof sluice.v1.DropCount
             * @instance
             */
            DropCount.prototype.payloads = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * DropCount samples.
             * @member {number} samples
             * @memberof sluice.v1.DropCount
             * @instance
             */
            DropCount.prototype.samples = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * DropCount bytes.
             * @member {number} bytes
             * @memberof sluice.v1.DropCount
             * @instance
             */
            DropCount.prototype.bytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * DropCount minTimeMs.
             * @member {number} minTimeMs
             * @memberof sluice.v1.DropCount
             * @instance
             */
            DropCount.prototype.minTimeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * DropCount maxTimeMs.
             * @member {number} maxTimeMs
             * @memberof sluice.v1.DropCount
             * @instance
             */
            DropCount.prototype.maxTimeMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new DropCount instance using the specified properties.
             * @function create
             * @memberof sluice.v1.DropCount
             * @static
             * @param {sluice.v1.DropCount.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.DropCount} DropCount instance
             * @type {{
             *   (properties: sluice.v1.DropCount.$Shape): sluice.v1.DropCount & sluice.v1.DropCount.$Shape;
             *   (properties?: sluice.v1.DropCount.$Properties): sluice.v1.DropCount;
             * }}
             */
            DropCount.create = function(properties) {
                return new DropCount(properties);
            };

            /**
             * Encodes the specified DropCount message. Does not implicitly {@link sluice.v1.DropCount.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.DropCount
             * @static
             * @param {sluice.v1.DropCount.$Properties} message DropCount message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DropCount.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.reason);
                if (message.payloads != null && $Object.hasOwnProperty.call(message, "payloads") && (typeof message.payloads === "object" ? message.payloads.low || message.payloads.high : message.payloads !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.payloads);
                if (message.samples != null && $Object.hasOwnProperty.call(message, "samples") && (typeof message.samples === "object" ? message.samples.low || message.samples.high : message.samples !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.samples);
                if (message.bytes != null && $Object.hasOwnProperty.call(message, "bytes") && (typeof message.bytes === "object" ? message.bytes.low || message.bytes.high : message.bytes !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.bytes);
                if (message.minTimeMs != null && $Object.hasOwnProperty.call(message, "minTimeMs") && (typeof message.minTimeMs === "object" ? message.minTimeMs.low || message.minTimeMs.high : message.minTimeMs !== 0))
                    writer.uint32(/* id 5, wireType 0 =*/40).int64(message.minTimeMs);
                if (message.maxTimeMs != null && $Object.hasOwnProperty.call(message, "maxTimeMs") && (typeof message.maxTimeMs === "object" ? message.maxTimeMs.low || message.maxTimeMs.high : message.maxTimeMs !== 0))
                    writer.uint32(/* id 6, wireType 0 =*/48).int64(message.maxTimeMs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a DropCount message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.DropCount
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.DropCount & sluice.v1.DropCount.$Shape} DropCount
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DropCount.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.DropCount();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.reason = value;
                            else
                                delete message.reason;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.payloads = value;
                            else
                                delete message.payloads;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.samples = value;
                            else
                                delete message.samples;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.bytes = value;
                            else
                                delete message.bytes;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.minTimeMs = value;
                            else
                                delete message.minTimeMs;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.maxTimeMs = value;
                            else
                                delete message.maxTimeMs;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return DropCount;
        })();

        v1.HostInfo = (function() {

            /**
             * Properties of a HostInfo.
             * @typedef {Object} sluice.v1.HostInfo.$Properties
             * @property {string|null} [hostname] HostInfo hostname
             * @property {string|null} [os] HostInfo os
             * @property {string|null} [arch] HostInfo arch
             * @property {string|null} [agentVersion] HostInfo agentVersion
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a HostInfo.
             * @memberof sluice.v1
             * @interface IHostInfo
             * @augments sluice.v1.HostInfo.$Properties
             * @deprecated Use sluice.v1.HostInfo.$Properties instead.
             */

            /**
             * Shape of a HostInfo.
             * @typedef {sluice.v1.HostInfo.$Properties} sluice.v1.HostInfo.$Shape
             */

            /**
             * Constructs a new HostInfo.
             * @memberof sluice.v1
             * @classdesc Represents a HostInfo.
             * @constructor
             * @param {sluice.v1.HostInfo.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const HostInfo = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * HostInfo hostname.
             * @member {string} hostname
             * @memberof sluice.v1.HostInfo
             * @instance
             */
            HostInfo.prototype.hostname = "";

            /**
             * HostInfo os.
             * @member {string} os
             * @memberof sluice.v1.HostInfo
             * @instance
             */
            HostInfo.prototype.os = "";

            /**
             * HostInfo arch.
             * @member {string} arch
             * @memberof sluice.v1.HostInfo
             * @instance
             */
            HostInfo.prototype.arch = "";

            /**
             * HostInfo agentVersion.
             * @member {string} agentVersion
             * @memberof sluice.v1.HostInfo
             * @instance
             */
            HostInfo.prototype.agentVersion = "";

            /**
             * Creates a new HostInfo instance using the specified properties.
             * @function create
             * @memberof sluice.v1.HostInfo
             * @static
             * @param {sluice.v1.HostInfo.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.HostInfo} HostInfo instance
             * @type {{
             *   (properties: sluice.v1.HostInfo.$Shape): sluice.v1.HostInfo & sluice.v1.HostInfo.$Shape;
             *   (properties?: sluice.v1.HostInfo.$Properties): sluice.v1.HostInfo;
             * }}
             */
            HostInfo.create = function(properties) {
                return new HostInfo(properties);
            };

            /**
             * Encodes the specified HostInfo message. Does not implicitly {@link sluice.v1.HostInfo.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.HostInfo
             * @static
             * @param {sluice.v1.HostInfo.$Properties} message HostInfo message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            HostInfo.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.hostname != null && $Object.hasOwnProperty.call(message, "hostname") && message.hostname !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.hostname);
                if (message.os != null && $Object.hasOwnProperty.call(message, "os") && message.os !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.os);
                if (message.arch != null && $Object.hasOwnProperty.call(message, "arch") && message.arch !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.arch);
                if (message.agentVersion != null && $Object.hasOwnProperty.call(message, "agentVersion") && message.agentVersion !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.agentVersion);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a HostInfo message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.HostInfo
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.HostInfo & sluice.v1.HostInfo.$Shape} HostInfo
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            HostInfo.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.HostInfo();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.hostname = value;
                            else
                                delete message.hostname;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.os = value;
                            else
                                delete message.os;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.arch = value;
                            else
                                delete message.arch;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.agentVersion = value;
                            else
                                delete message.agentVersion;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return HostInfo;
        })();

        v1.Label = (function() {

            /**
             * Properties of a Label.
             * @typedef {Object} sluice.v1.Label.$Properties
             * @property {string|null} [name] Label name
             * @property {string|null} [value] Label value
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Label.
             * @memberof sluice.v1
             * @interface ILabel
             * @augments sluice.v1.Label.$Properties
             * @deprecated Use sluice.v1.Label.$Properties instead.
             */

            /**
             * Shape of a Label.
             * @typedef {sluice.v1.Label.$Properties} sluice.v1.Label.$Shape
             */

            /**
             * Constructs a new Label.
             * @memberof sluice.v1
             * @classdesc Represents a Label.
             * @constructor
             * @param {sluice.v1.Label.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Label = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Label name.
             * @member {string} name
             * @memberof sluice.v1.Label
             * @instance
             */
            Label.prototype.name = "";

            /**
             * Label value.
             * @member {string} value
             * @memberof sluice.v1.Label
             * @instance
             */
            Label.prototype.value = "";

            /**
             * Creates a new Label instance using the specified properties.
             * @function create
             * @memberof sluice.v1.Label
             * @static
             * @param {sluice.v1.Label.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.Label} Label instance
             * @type {{
             *   (properties: sluice.v1.Label.$Shape): sluice.v1.Label & sluice.v1.Label.$Shape;
             *   (properties?: sluice.v1.Label.$Properties): sluice.v1.Label;
             * }}
             */
            Label.create = function(properties) {
                return new Label(properties);
            };

            /**
             * Encodes the specified Label message. Does not implicitly {@link sluice.v1.Label.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.Label
             * @static
             * @param {sluice.v1.Label.$Properties} message Label message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Label.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.name);
                if (message.value != null && $Object.hasOwnProperty.call(message, "value") && message.value !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.value);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Label message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.Label
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.Label & sluice.v1.Label.$Shape} Label
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Label.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.Label();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.value = value;
                            else
                                delete message.value;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Label;
        })();

        /**
         * Kind enum.
         * @name sluice.v1.Kind
         * @enum {number}
         * @property {number} KIND_UNSPECIFIED=0 KIND_UNSPECIFIED value
         * @property {number} GAUGE=1 GAUGE value
         * @property {number} COUNTER=2 COUNTER value
         * @property {number} HISTOGRAM=3 HISTOGRAM value
         */
        v1.Kind = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "KIND_UNSPECIFIED"] = 0;
            values[valuesById[1] = "GAUGE"] = 1;
            values[valuesById[2] = "COUNTER"] = 2;
            values[valuesById[3] = "HISTOGRAM"] = 3;
            return values;
        })();

        v1.Series = (function() {

            /**
             * Properties of a Series.
             * @typedef {Object} sluice.v1.Series.$Properties
             * @property {string|null} [name] Series name
             * @property {Array.<sluice.v1.Label.$Properties>|null} [labels] Series labels
             * @property {sluice.v1.Kind|null} [kind] Series kind
             * @property {Array.<sluice.v1.GaugeSample.$Properties>|null} [gauge] Series gauge
             * @property {Array.<sluice.v1.CounterSample.$Properties>|null} [counter] Series counter
             * @property {Array.<sluice.v1.HistogramSample.$Properties>|null} [histogram] Series histogram
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Series.
             * @memberof sluice.v1
             * @interface ISeries
             * @augments sluice.v1.Series.$Properties
             * @deprecated Use sluice.v1.Series.$Properties instead.
             */

            /**
             * Shape of a Series.
             * @typedef {sluice.v1.Series.$Properties} sluice.v1.Series.$Shape
             */

            /**
             * Constructs a new Series.
             * @memberof sluice.v1
             * @classdesc Represents a Series.
             * @constructor
             * @param {sluice.v1.Series.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Series = function (properties) {
                this.labels = [];
                this.gauge = [];
                this.counter = [];
                this.histogram = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Series name.
             * @member {string} name
             * @memberof sluice.v1.Series
             * @instance
             */
            Series.prototype.name = "";

            /**
             * Series labels.
             * @member {Array.<sluice.v1.Label.$Properties>} labels
             * @memberof sluice.v1.Series
             * @instance
             */
            Series.prototype.labels = $util.emptyArray;

            /**
             * Series kind.
             * @member {sluice.v1.Kind} kind
             * @memberof sluice.v1.Series
             * @instance
             */
            Series.prototype.kind = 0;

            /**
             * Series gauge.
             * @member {Array.<sluice.v1.GaugeSample.$Properties>} gauge
             * @memberof sluice.v1.Series
             * @instance
             */
            Series.prototype.gauge = $util.emptyArray;

            /**
             * Series counter.
             * @member {Array.<sluice.v1.CounterSample.$Properties>} counter
             * @memberof sluice.v1.Series
             * @instance
             */
            Series.prototype.counter = $util.emptyArray;

            /**
             * Series histogram.
             * @member {Array.<sluice.v1.HistogramSample.$Properties>} histogram
             * @memberof sluice.v1.Series
             * @instance
             */
            Series.prototype.histogram = $util.emptyArray;

            /**
             * Creates a new Series instance using the specified properties.
             * @function create
             * @memberof sluice.v1.Series
             * @static
             * @param {sluice.v1.Series.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.Series} Series instance
             * @type {{
             *   (properties: sluice.v1.Series.$Shape): sluice.v1.Series & sluice.v1.Series.$Shape;
             *   (properties?: sluice.v1.Series.$Properties): sluice.v1.Series;
             * }}
             */
            Series.create = function(properties) {
                return new Series(properties);
            };

            /**
             * Encodes the specified Series message. Does not implicitly {@link sluice.v1.Series.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.Series
             * @static
             * @param {sluice.v1.Series.$Properties} message Series message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Series.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.name);
                if (message.labels != null && message.labels.length)
                    for (let i = 0; i < message.labels.length; ++i)
                        $root.sluice.v1.Label.encode(message.labels[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).int32(message.kind);
                if (message.gauge != null && message.gauge.length)
                    for (let i = 0; i < message.gauge.length; ++i)
                        $root.sluice.v1.GaugeSample.encode(message.gauge[i], writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.counter != null && message.counter.length)
                    for (let i = 0; i < message.counter.length; ++i)
                        $root.sluice.v1.CounterSample.encode(message.counter[i], writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.histogram != null && message.histogram.length)
                    for (let i = 0; i < message.histogram.length; ++i)
                        $root.sluice.v1.HistogramSample.encode(message.histogram[i], writer.uint32(/* id 6, wireType 2 =*/50).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Series message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.Series
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.Series & sluice.v1.Series.$Shape} Series
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Series.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.Series();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.labels && message.labels.length))
                                message.labels = [];
                            message.labels.push($root.sluice.v1.Label.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.kind = value;
                            else
                                delete message.kind;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if (!(message.gauge && message.gauge.length))
                                message.gauge = [];
                            message.gauge.push($root.sluice.v1.GaugeSample.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if (!(message.counter && message.counter.length))
                                message.counter = [];
                            message.counter.push($root.sluice.v1.CounterSample.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if (!(message.histogram && message.histogram.length))
                                message.histogram = [];
                            message.histogram.push($root.sluice.v1.HistogramSample.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Series;
        })();

        v1.GaugeSample = (function() {

            /**
             * Properties of a GaugeSample.
             * @typedef {Object} sluice.v1.GaugeSample.$Properties
             * @property {number|null} [tMs] GaugeSample tMs
             * @property {number|null} [v] GaugeSample v
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a GaugeSample.
             * @memberof sluice.v1
             * @interface IGaugeSample
             * @augments sluice.v1.GaugeSample.$Properties
             * @deprecated Use sluice.v1.GaugeSample.$Properties instead.
             */

            /**
             * Shape of a GaugeSample.
             * @typedef {sluice.v1.GaugeSample.$Properties} sluice.v1.GaugeSample.$Shape
             */

            /**
             * Constructs a new GaugeSample.
             * @memberof sluice.v1
             * @classdesc Represents a GaugeSample.
             * @constructor
             * @param {sluice.v1.GaugeSample.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const GaugeSample = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * GaugeSample tMs.
             * @member {number} tMs
             * @memberof sluice.v1.GaugeSample
             * @instance
             */
            GaugeSample.prototype.tMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * GaugeSample v.
             * @member {number} v
             * @memberof sluice.v1.GaugeSample
             * @instance
             */
            GaugeSample.prototype.v = 0;

            /**
             * Creates a new GaugeSample instance using the specified properties.
             * @function create
             * @memberof sluice.v1.GaugeSample
             * @static
             * @param {sluice.v1.GaugeSample.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.GaugeSample} GaugeSample instance
             * @type {{
             *   (properties: sluice.v1.GaugeSample.$Shape): sluice.v1.GaugeSample & sluice.v1.GaugeSample.$Shape;
             *   (properties?: sluice.v1.GaugeSample.$Properties): sluice.v1.GaugeSample;
             * }}
             */
            GaugeSample.create = function(properties) {
                return new GaugeSample(properties);
            };

            /**
             * Encodes the specified GaugeSample message. Does not implicitly {@link sluice.v1.GaugeSample.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.GaugeSample
             * @static
             * @param {sluice.v1.GaugeSample.$Properties} message GaugeSample message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            GaugeSample.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.tMs != null && $Object.hasOwnProperty.call(message, "tMs") && (typeof message.tMs === "object" ? message.tMs.low || message.tMs.high : message.tMs !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).int64(message.tMs);
                if (message.v != null && $Object.hasOwnProperty.call(message, "v") && !$Object.is(message.v, 0))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.v);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a GaugeSample message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.GaugeSample
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.GaugeSample & sluice.v1.GaugeSample.$Shape} GaugeSample
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            GaugeSample.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.GaugeSample();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.tMs = value;
                            else
                                delete message.tMs;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.v = value;
                            else
                                delete message.v;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return GaugeSample;
        })();

        v1.CounterSample = (function() {

            /**
             * Properties of a CounterSample.
             * @typedef {Object} sluice.v1.CounterSample.$Properties
             * @property {number|null} [tMs] CounterSample tMs
             * @property {number|null} [v] CounterSample v
             * @property {number|null} [d] CounterSample d
             * @property {number|null} [tpMs] CounterSample tpMs
             * @property {boolean|null} [reset] CounterSample reset
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a CounterSample.
             * @memberof sluice.v1
             * @interface ICounterSample
             * @augments sluice.v1.CounterSample.$Properties
             * @deprecated Use sluice.v1.CounterSample.$Properties instead.
             */

            /**
             * Shape of a CounterSample.
             * @typedef {sluice.v1.CounterSample.$Properties} sluice.v1.CounterSample.$Shape
             */

            /**
             * Constructs a new CounterSample.
             * @memberof sluice.v1
             * @classdesc Represents a CounterSample.
             * @constructor
             * @param {sluice.v1.CounterSample.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const CounterSample = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * CounterSample tMs.
             * @member {number} tMs
             * @memberof sluice.v1.CounterSample
             * @instance
             */
            CounterSample.prototype.tMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * CounterSample v.
             * @member {number} v
             * @memberof sluice.v1.CounterSample
             * @instance
             */
            CounterSample.prototype.v = 0;

            /**
             * CounterSample d.
             * @member {number} d
             * @memberof sluice.v1.CounterSample
             * @instance
             */
            CounterSample.prototype.d = 0;

            /**
             * CounterSample tpMs.
             * @member {number} tpMs
             * @memberof sluice.v1.CounterSample
             * @instance
             */
            CounterSample.prototype.tpMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * CounterSample reset.
             * @member {boolean} reset
             * @memberof sluice.v1.CounterSample
             * @instance
             */
            CounterSample.prototype.reset = false;

            /**
             * Creates a new CounterSample instance using the specified properties.
             * @function create
             * @memberof sluice.v1.CounterSample
             * @static
             * @param {sluice.v1.CounterSample.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.CounterSample} CounterSample instance
             * @type {{
             *   (properties: sluice.v1.CounterSample.$Shape): sluice.v1.CounterSample & sluice.v1.CounterSample.$Shape;
             *   (properties?: sluice.v1.CounterSample.$Properties): sluice.v1.CounterSample;
             * }}
             */
            CounterSample.create = function(properties) {
                return new CounterSample(properties);
            };

            /**
             * Encodes the specified CounterSample message. Does not implicitly {@link sluice.v1.CounterSample.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.CounterSample
             * @static
             * @param {sluice.v1.CounterSample.$Properties} message CounterSample message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            CounterSample.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.tMs != null && $Object.hasOwnProperty.call(message, "tMs") && (typeof message.tMs === "object" ? message.tMs.low || message.tMs.high : message.tMs !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).int64(message.tMs);
                if (message.v != null && $Object.hasOwnProperty.call(message, "v") && !$Object.is(message.v, 0))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.v);
                if (message.d != null && $Object.hasOwnProperty.call(message, "d") && !$Object.is(message.d, 0))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.d);
                if (message.tpMs != null && $Object.hasOwnProperty.call(message, "tpMs") && (typeof message.tpMs === "object" ? message.tpMs.low || message.tpMs.high : message.tpMs !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).int64(message.tpMs);
                if (message.reset != null && $Object.hasOwnProperty.call(message, "reset") && message.reset !== false)
                    writer.uint32(/* id 5, wireType 0 =*/40).bool(message.reset);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a CounterSample message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.CounterSample
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.CounterSample & sluice.v1.CounterSample.$Shape} CounterSample
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            CounterSample.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.CounterSample();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.tMs = value;
                            else
                                delete message.tMs;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.v = value;
                            else
                                delete message.v;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.d = value;
                            else
                                delete message.d;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.tpMs = value;
                            else
                                delete message.tpMs;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.reset = value;
                            else
                                delete message.reset;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return CounterSample;
        })();

        v1.HistogramSample = (function() {

            /**
             * Properties of a HistogramSample.
             * @typedef {Object} sluice.v1.HistogramSample.$Properties
             * @property {number|null} [tMs] HistogramSample tMs
             * @property {number|null} [count] HistogramSample count
             * @property {number|null} [sum] HistogramSample sum
             * @property {number|null} [zeroCount] HistogramSample zeroCount
             * @property {number|null} [schema] HistogramSample schema
             * @property {number|null} [zeroThreshold] HistogramSample zeroThreshold
             * @property {Object.<string,number>|null} [positive] HistogramSample positive
             * @property {Object.<string,number>|null} [negative] HistogramSample negative
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a HistogramSample.
             * @memberof sluice.v1
             * @interface IHistogramSample
             * @augments sluice.v1.HistogramSample.$Properties
             * @deprecated Use sluice.v1.HistogramSample.$Properties instead.
             */

            /**
             * Shape of a HistogramSample.
             * @typedef {sluice.v1.HistogramSample.$Properties} sluice.v1.HistogramSample.$Shape
             */

            /**
             * Constructs a new HistogramSample.
             * @memberof sluice.v1
             * @classdesc Represents a HistogramSample.
             * @constructor
             * @param {sluice.v1.HistogramSample.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const HistogramSample = function (properties) {
                this.positive = {};
                this.negative = {};
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * HistogramSample tMs.
             * @member {number} tMs
             * @memberof sluice.v1.HistogramSample
             * @instance
             */
            HistogramSample.prototype.tMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * HistogramSample count.
             * @member {number} count
             * @memberof sluice.v1.HistogramSample
             * @instance
             */
            HistogramSample.prototype.count = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * HistogramSample sum.
             * @member {number} sum
             * @memberof sluice.v1.HistogramSample
             * @instance
             */
            HistogramSample.prototype.sum = 0;

            /**
             * HistogramSample zeroCount.
             * @member {number} zeroCount
             * @memberof sluice.v1.HistogramSample
             * @instance
             */
            HistogramSample.prototype.zeroCount = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * HistogramSample schema.
             * @member {number} schema
             * @memberof sluice.v1.HistogramSample
             * @instance
             */
            HistogramSample.prototype.schema = 0;

            /**
             * HistogramSample zeroThreshold.
             * @member {number} zeroThreshold
             * @memberof sluice.v1.HistogramSample
             * @instance
             */
            HistogramSample.prototype.zeroThreshold = 0;

            /**
             * HistogramSample positive.
             * @member {Object.<string,number>} positive
             * @memberof sluice.v1.HistogramSample
             * @instance
             */
            HistogramSample.prototype.positive = $util.emptyObject;

            /**
             * HistogramSample negative.
             * @member {Object.<string,number>} negative
             * @memberof sluice.v1.HistogramSample
             * @instance
             */
            HistogramSample.prototype.negative = $util.emptyObject;

            /**
             * Creates a new HistogramSample instance using the specified properties.
             * @function create
             * @memberof sluice.v1.HistogramSample
             * @static
             * @param {sluice.v1.HistogramSample.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.HistogramSample} HistogramSample instance
             * @type {{
             *   (properties: sluice.v1.HistogramSample.$Shape): sluice.v1.HistogramSample & sluice.v1.HistogramSample.$Shape;
             *   (properties?: sluice.v1.HistogramSample.$Properties): sluice.v1.HistogramSample;
             * }}
             */
            HistogramSample.create = function(properties) {
                return new HistogramSample(properties);
            };

            /**
             * Encodes the specified HistogramSample message. Does not implicitly {@link sluice.v1.HistogramSample.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.HistogramSample
             * @static
             * @param {sluice.v1.HistogramSample.$Properties} message HistogramSample message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            HistogramSample.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.tMs != null && $Object.hasOwnProperty.call(message, "tMs") && (typeof message.tMs === "object" ? message.tMs.low || message.tMs.high : message.tMs !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).int64(message.tMs);
                if (message.count != null && $Object.hasOwnProperty.call(message, "count") && (typeof message.count === "object" ? message.count.low || message.count.high : message.count !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.count);
                if (message.sum != null && $Object.hasOwnProperty.call(message, "sum") && !$Object.is(message.sum, 0))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.sum);
                if (message.zeroCount != null && $Object.hasOwnProperty.call(message, "zeroCount") && (typeof message.zeroCount === "object" ? message.zeroCount.low || message.zeroCount.high : message.zeroCount !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.zeroCount);
                if (message.schema != null && $Object.hasOwnProperty.call(message, "schema") && message.schema !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).sint32(message.schema);
                if (message.zeroThreshold != null && $Object.hasOwnProperty.call(message, "zeroThreshold") && !$Object.is(message.zeroThreshold, 0))
                    writer.uint32(/* id 6, wireType 1 =*/49).double(message.zeroThreshold);
                if (message.positive != null && $Object.hasOwnProperty.call(message, "positive"))
                    for (let keys = $Object.keys(message.positive), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 7, wireType 2 =*/58).fork().uint32(/* id 1, wireType 0 =*/8).sint32(keys[i]).uint32(/* id 2, wireType 0 =*/16).uint64(message.positive[keys[i]]).ldelim();
                if (message.negative != null && $Object.hasOwnProperty.call(message, "negative"))
                    for (let keys = $Object.keys(message.negative), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 8, wireType 2 =*/66).fork().uint32(/* id 1, wireType 0 =*/8).sint32(keys[i]).uint32(/* id 2, wireType 0 =*/16).uint64(message.negative[keys[i]]).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a HistogramSample message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.HistogramSample
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.HistogramSample & sluice.v1.HistogramSample.$Shape} HistogramSample
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            HistogramSample.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.HistogramSample();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.tMs = value;
                            else
                                delete message.tMs;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.count = value;
                            else
                                delete message.count;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.sum = value;
                            else
                                delete message.sum;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.zeroCount = value;
                            else
                                delete message.zeroCount;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.sint32())
                                message.schema = value;
                            else
                                delete message.schema;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.zeroThreshold = value;
                            else
                                delete message.zeroThreshold;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if (message.positive === $util.emptyObject)
                                message.positive = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = 0;
                            value = $util.Long ? $util.Long.fromNumber(0, true) : 0;
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 0)
                                        break;
                                    key = reader.sint32();
                                    continue;
                                case 2:
                                    if (wireType !== 0)
                                        break;
                                    value = reader.uint64();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            message.positive[key] = value;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if (message.negative === $util.emptyObject)
                                message.negative = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = 0;
                            value = $util.Long ? $util.Long.fromNumber(0, true) : 0;
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 0)
                                        break;
                                    key = reader.sint32();
                                    continue;
                                case 2:
                                    if (wireType !== 0)
                                        break;
                                    value = reader.uint64();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            message.negative[key] = value;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return HistogramSample;
        })();

        v1.RawRecord = (function() {

            /**
             * Properties of a RawRecord.
             * @typedef {Object} sluice.v1.RawRecord.$Properties
             * @property {sluice.v1.AgentPayload.$Properties|null} [payload] RawRecord payload
             * @property {string|null} [tenant] RawRecord tenant
             * @property {number|null} [receivedMs] RawRecord receivedMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a RawRecord.
             * @memberof sluice.v1
             * @interface IRawRecord
             * @augments sluice.v1.RawRecord.$Properties
             * @deprecated Use sluice.v1.RawRecord.$Properties instead.
             */

            /**
             * Shape of a RawRecord.
             * @typedef {sluice.v1.RawRecord.$Properties} sluice.v1.RawRecord.$Shape
             */

            /**
             * Constructs a new RawRecord.
             * @memberof sluice.v1
             * @classdesc Represents a RawRecord.
             * @constructor
             * @param {sluice.v1.RawRecord.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const RawRecord = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * RawRecord payload.
             * @member {sluice.v1.AgentPayload.$Properties|null|undefined} payload
             * @memberof sluice.v1.RawRecord
             * @instance
             */
            RawRecord.prototype.payload = null;

            /**
             * RawRecord tenant.
             * @member {string} tenant
             * @memberof sluice.v1.RawRecord
             * @instance
             */
            RawRecord.prototype.tenant = "";

            /**
             * RawRecord receivedMs.
             * @member {number} receivedMs
             * @memberof sluice.v1.RawRecord
             * @instance
             */
            RawRecord.prototype.receivedMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new RawRecord instance using the specified properties.
             * @function create
             * @memberof sluice.v1.RawRecord
             * @static
             * @param {sluice.v1.RawRecord.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.RawRecord} RawRecord instance
             * @type {{
             *   (properties: sluice.v1.RawRecord.$Shape): sluice.v1.RawRecord & sluice.v1.RawRecord.$Shape;
             *   (properties?: sluice.v1.RawRecord.$Properties): sluice.v1.RawRecord;
             * }}
             */
            RawRecord.create = function(properties) {
                return new RawRecord(properties);
            };

            /**
             * Encodes the specified RawRecord message. Does not implicitly {@link sluice.v1.RawRecord.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.RawRecord
             * @static
             * @param {sluice.v1.RawRecord.$Properties} message RawRecord message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RawRecord.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.payload != null && $Object.hasOwnProperty.call(message, "payload"))
                    $root.sluice.v1.AgentPayload.encode(message.payload, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant") && message.tenant !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.tenant);
                if (message.receivedMs != null && $Object.hasOwnProperty.call(message, "receivedMs") && (typeof message.receivedMs === "object" ? message.receivedMs.low || message.receivedMs.high : message.receivedMs !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).int64(message.receivedMs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a RawRecord message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.RawRecord
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.RawRecord & sluice.v1.RawRecord.$Shape} RawRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RawRecord.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.RawRecord();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.payload = $root.sluice.v1.AgentPayload.decode(reader, reader.size(), $undefined, _depth + 1, message.payload);
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.tenant = value;
                            else
                                delete message.tenant;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.receivedMs = value;
                            else
                                delete message.receivedMs;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return RawRecord;
        })();

        v1.RollupDelta = (function() {

            /**
             * Properties of a RollupDelta.
             * @typedef {Object} sluice.v1.RollupDelta.$Properties
             * @property {string|null} [seriesId] RollupDelta seriesId
             * @property {string|null} [tenant] RollupDelta tenant
             * @property {string|null} [name] RollupDelta name
             * @property {Array.<sluice.v1.Label.$Properties>|null} [labels] RollupDelta labels
             * @property {sluice.v1.Kind|null} [kind] RollupDelta kind
             * @property {number|null} [res] RollupDelta res
             * @property {number|null} [endMs] RollupDelta endMs
             * @property {number|null} [n] RollupDelta n
             * @property {number|null} [sum] RollupDelta sum
             * @property {number|null} [sumsq] RollupDelta sumsq
             * @property {number|null} [min] RollupDelta min
             * @property {number|null} [max] RollupDelta max
             * @property {sluice.v1.FirstSample.$Properties|null} [first] RollupDelta first
             * @property {sluice.v1.LastSample.$Properties|null} [last] RollupDelta last
             * @property {number|null} [inc] RollupDelta inc
             * @property {number|null} [resets] RollupDelta resets
             * @property {number|null} [hc] RollupDelta hc
             * @property {number|null} [hs] RollupDelta hs
             * @property {number|null} [hz] RollupDelta hz
             * @property {Object.<string,number>|null} [hp] RollupDelta hp
             * @property {Object.<string,number>|null} [hn] RollupDelta hn
             * @property {number|null} [schema] RollupDelta schema
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a RollupDelta.
             * @memberof sluice.v1
             * @interface IRollupDelta
             * @augments sluice.v1.RollupDelta.$Properties
             * @deprecated Use sluice.v1.RollupDelta.$Properties instead.
             */

            /**
             * Shape of a RollupDelta.
             * @typedef {sluice.v1.RollupDelta.$Properties} sluice.v1.RollupDelta.$Shape
             */

            /**
             * Constructs a new RollupDelta.
             * @memberof sluice.v1
             * @classdesc Represents a RollupDelta.
             * @constructor
             * @param {sluice.v1.RollupDelta.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const RollupDelta = function (properties) {
                this.labels = [];
                this.hp = {};
                this.hn = {};
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * RollupDelta seriesId.
             * @member {string} seriesId
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.seriesId = "";

            /**
             * RollupDelta tenant.
             * @member {string} tenant
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.tenant = "";

            /**
             * RollupDelta name.
             * @member {string} name
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.name = "";

            /**
             * RollupDelta labels.
             * @member {Array.<sluice.v1.Label.$Properties>} labels
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.labels = $util.emptyArray;

            /**
             * RollupDelta kind.
             * @member {sluice.v1.Kind} kind
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.kind = 0;

            /**
             * RollupDelta res.
             * @member {number} res
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.res = 0;

            /**
             * RollupDelta endMs.
             * @member {number} endMs
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.endMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * RollupDelta n.
             * @member {number} n
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.n = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * RollupDelta sum.
             * @member {number} sum
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.sum = 0;

            /**
             * RollupDelta sumsq.
             * @member {number} sumsq
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.sumsq = 0;

            /**
             * RollupDelta min.
             * @member {number} min
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.min = 0;

            /**
             * RollupDelta max.
             * @member {number} max
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.max = 0;

            /**
             * RollupDelta first.
             * @member {sluice.v1.FirstSample.$Properties|null|undefined} first
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.first = null;

            /**
             * RollupDelta last.
             * @member {sluice.v1.LastSample.$Properties|null|undefined} last
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.last = null;

            /**
             * RollupDelta inc.
             * @member {number} inc
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.inc = 0;

            /**
             * RollupDelta resets.
             * @member {number} resets
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.resets = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * RollupDelta hc.
             * @member {number} hc
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.hc = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * RollupDelta hs.
             * @member {number} hs
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.hs = 0;

            /**
             * RollupDelta hz.
             * @member {number} hz
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.hz = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * RollupDelta hp.
             * @member {Object.<string,number>} hp
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.hp = $util.emptyObject;

            /**
             * RollupDelta hn.
             * @member {Object.<string,number>} hn
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.hn = $util.emptyObject;

            /**
             * RollupDelta schema.
             * @member {number} schema
             * @memberof sluice.v1.RollupDelta
             * @instance
             */
            RollupDelta.prototype.schema = 0;

            /**
             * Creates a new RollupDelta instance using the specified properties.
             * @function create
             * @memberof sluice.v1.RollupDelta
             * @static
             * @param {sluice.v1.RollupDelta.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.RollupDelta} RollupDelta instance
             * @type {{
             *   (properties: sluice.v1.RollupDelta.$Shape): sluice.v1.RollupDelta & sluice.v1.RollupDelta.$Shape;
             *   (properties?: sluice.v1.RollupDelta.$Properties): sluice.v1.RollupDelta;
             * }}
             */
            RollupDelta.create = function(properties) {
                return new RollupDelta(properties);
            };

            /**
             * Encodes the specified RollupDelta message. Does not implicitly {@link sluice.v1.RollupDelta.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.RollupDelta
             * @static
             * @param {sluice.v1.RollupDelta.$Properties} message RollupDelta message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RollupDelta.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.seriesId != null && $Object.hasOwnProperty.call(message, "seriesId") && message.seriesId !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.seriesId);
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant") && message.tenant !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.tenant);
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.name);
                if (message.labels != null && message.labels.length)
                    for (let i = 0; i < message.labels.length; ++i)
                        $root.sluice.v1.Label.encode(message.labels[i], writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).int32(message.kind);
                if (message.res != null && $Object.hasOwnProperty.call(message, "res") && message.res !== 0)
                    writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.res);
                if (message.endMs != null && $Object.hasOwnProperty.call(message, "endMs") && (typeof message.endMs === "object" ? message.endMs.low || message.endMs.high : message.endMs !== 0))
                    writer.uint32(/* id 7, wireType 0 =*/56).int64(message.endMs);
                if (message.n != null && $Object.hasOwnProperty.call(message, "n") && (typeof message.n === "object" ? message.n.low || message.n.high : message.n !== 0))
                    writer.uint32(/* id 8, wireType 0 =*/64).uint64(message.n);
                if (message.sum != null && $Object.hasOwnProperty.call(message, "sum") && !$Object.is(message.sum, 0))
                    writer.uint32(/* id 9, wireType 1 =*/73).double(message.sum);
                if (message.sumsq != null && $Object.hasOwnProperty.call(message, "sumsq") && !$Object.is(message.sumsq, 0))
                    writer.uint32(/* id 10, wireType 1 =*/81).double(message.sumsq);
                if (message.min != null && $Object.hasOwnProperty.call(message, "min") && !$Object.is(message.min, 0))
                    writer.uint32(/* id 11, wireType 1 =*/89).double(message.min);
                if (message.max != null && $Object.hasOwnProperty.call(message, "max") && !$Object.is(message.max, 0))
                    writer.uint32(/* id 12, wireType 1 =*/97).double(message.max);
                if (message.first != null && $Object.hasOwnProperty.call(message, "first"))
                    $root.sluice.v1.FirstSample.encode(message.first, writer.uint32(/* id 13, wireType 2 =*/106).fork(), _depth + 1).ldelim();
                if (message.last != null && $Object.hasOwnProperty.call(message, "last"))
                    $root.sluice.v1.LastSample.encode(message.last, writer.uint32(/* id 14, wireType 2 =*/114).fork(), _depth + 1).ldelim();
                if (message.inc != null && $Object.hasOwnProperty.call(message, "inc") && !$Object.is(message.inc, 0))
                    writer.uint32(/* id 15, wireType 1 =*/121).double(message.inc);
                if (message.resets != null && $Object.hasOwnProperty.call(message, "resets") && (typeof message.resets === "object" ? message.resets.low || message.resets.high : message.resets !== 0))
                    writer.uint32(/* id 16, wireType 0 =*/128).uint64(message.resets);
                if (message.hc != null && $Object.hasOwnProperty.call(message, "hc") && (typeof message.hc === "object" ? message.hc.low || message.hc.high : message.hc !== 0))
                    writer.uint32(/* id 17, wireType 0 =*/136).uint64(message.hc);
                if (message.hs != null && $Object.hasOwnProperty.call(message, "hs") && !$Object.is(message.hs, 0))
                    writer.uint32(/* id 18, wireType 1 =*/145).double(message.hs);
                if (message.hz != null && $Object.hasOwnProperty.call(message, "hz") && (typeof message.hz === "object" ? message.hz.low || message.hz.high : message.hz !== 0))
                    writer.uint32(/* id 19, wireType 0 =*/152).uint64(message.hz);
                if (message.hp != null && $Object.hasOwnProperty.call(message, "hp"))
                    for (let keys = $Object.keys(message.hp), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 20, wireType 2 =*/162).fork().uint32(/* id 1, wireType 0 =*/8).sint32(keys[i]).uint32(/* id 2, wireType 0 =*/16).uint64(message.hp[keys[i]]).ldelim();
                if (message.hn != null && $Object.hasOwnProperty.call(message, "hn"))
                    for (let keys = $Object.keys(message.hn), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 21, wireType 2 =*/170).fork().uint32(/* id 1, wireType 0 =*/8).sint32(keys[i]).uint32(/* id 2, wireType 0 =*/16).uint64(message.hn[keys[i]]).ldelim();
                if (message.schema != null && $Object.hasOwnProperty.call(message, "schema") && message.schema !== 0)
                    writer.uint32(/* id 22, wireType 0 =*/176).sint32(message.schema);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a RollupDelta message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.RollupDelta
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.RollupDelta & sluice.v1.RollupDelta.$Shape} RollupDelta
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RollupDelta.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.RollupDelta();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.seriesId = value;
                            else
                                delete message.seriesId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.tenant = value;
                            else
                                delete message.tenant;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if (!(message.labels && message.labels.length))
                                message.labels = [];
                            message.labels.push($root.sluice.v1.Label.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.kind = value;
                            else
                                delete message.kind;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.res = value;
                            else
                                delete message.res;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.endMs = value;
                            else
                                delete message.endMs;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.n = value;
                            else
                                delete message.n;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.sum = value;
                            else
                                delete message.sum;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.sumsq = value;
                            else
                                delete message.sumsq;
                            continue;
                        }
                    case 11: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.min = value;
                            else
                                delete message.min;
                            continue;
                        }
                    case 12: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.max = value;
                            else
                                delete message.max;
                            continue;
                        }
                    case 13: {
                            if (wireType !== 2)
                                break;
                            message.first = $root.sluice.v1.FirstSample.decode(reader, reader.size(), $undefined, _depth + 1, message.first);
                            continue;
                        }
                    case 14: {
                            if (wireType !== 2)
                                break;
                            message.last = $root.sluice.v1.LastSample.decode(reader, reader.size(), $undefined, _depth + 1, message.last);
                            continue;
                        }
                    case 15: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.inc = value;
                            else
                                delete message.inc;
                            continue;
                        }
                    case 16: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.resets = value;
                            else
                                delete message.resets;
                            continue;
                        }
                    case 17: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.hc = value;
                            else
                                delete message.hc;
                            continue;
                        }
                    case 18: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.hs = value;
                            else
                                delete message.hs;
                            continue;
                        }
                    case 19: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.hz = value;
                            else
                                delete message.hz;
                            continue;
                        }
                    case 20: {
                            if (wireType !== 2)
                                break;
                            if (message.hp === $util.emptyObject)
                                message.hp = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = 0;
                            value = $util.Long ? $util.Long.fromNumber(0, true) : 0;
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 0)
                                        break;
                                    key = reader.sint32();
                                    continue;
                                case 2:
                                    if (wireType !== 0)
                                        break;
                                    value = reader.uint64();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            message.hp[key] = value;
                            continue;
                        }
                    case 21: {
                            if (wireType !== 2)
                                break;
                            if (message.hn === $util.emptyObject)
                                message.hn = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = 0;
                            value = $util.Long ? $util.Long.fromNumber(0, true) : 0;
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 0)
                                        break;
                                    key = reader.sint32();
                                    continue;
                                case 2:
                                    if (wireType !== 0)
                                        break;
                                    value = reader.uint64();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            message.hn[key] = value;
                            continue;
                        }
                    case 22: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.sint32())
                                message.schema = value;
                            else
                                delete message.schema;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return RollupDelta;
        })();

        v1.RollupBatch = (function() {

            /**
             * Properties of a RollupBatch.
             * @typedef {Object} sluice.v1.RollupBatch.$Properties
             * @property {Array.<sluice.v1.RollupDelta.$Properties>|null} [deltas] RollupBatch deltas
             * @property {number|null} [rawPartition] RollupBatch rawPartition
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a RollupBatch.
             * @memberof sluice.v1
             * @interface IRollupBatch
             * @augments sluice.v1.RollupBatch.$Properties
             * @deprecated Use sluice.v1.RollupBatch.$Properties instead.
             */

            /**
             * Shape of a RollupBatch.
             * @typedef {sluice.v1.RollupBatch.$Properties} sluice.v1.RollupBatch.$Shape
             */

            /**
             * Constructs a new RollupBatch.
             * @memberof sluice.v1
             * @classdesc Represents a RollupBatch.
             * @constructor
             * @param {sluice.v1.RollupBatch.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const RollupBatch = function (properties) {
                this.deltas = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * RollupBatch deltas.
             * @member {Array.<sluice.v1.RollupDelta.$Properties>} deltas
             * @memberof sluice.v1.RollupBatch
             * @instance
             */
            RollupBatch.prototype.deltas = $util.emptyArray;

            /**
             * RollupBatch rawPartition.
             * @member {number} rawPartition
             * @memberof sluice.v1.RollupBatch
             * @instance
             */
            RollupBatch.prototype.rawPartition = 0;

            /**
             * Creates a new RollupBatch instance using the specified properties.
             * @function create
             * @memberof sluice.v1.RollupBatch
             * @static
             * @param {sluice.v1.RollupBatch.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.RollupBatch} RollupBatch instance
             * @type {{
             *   (properties: sluice.v1.RollupBatch.$Shape): sluice.v1.RollupBatch & sluice.v1.RollupBatch.$Shape;
             *   (properties?: sluice.v1.RollupBatch.$Properties): sluice.v1.RollupBatch;
             * }}
             */
            RollupBatch.create = function(properties) {
                return new RollupBatch(properties);
            };

            /**
             * Encodes the specified RollupBatch message. Does not implicitly {@link sluice.v1.RollupBatch.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.RollupBatch
             * @static
             * @param {sluice.v1.RollupBatch.$Properties} message RollupBatch message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RollupBatch.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.deltas != null && message.deltas.length)
                    for (let i = 0; i < message.deltas.length; ++i)
                        $root.sluice.v1.RollupDelta.encode(message.deltas[i], writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.rawPartition != null && $Object.hasOwnProperty.call(message, "rawPartition") && message.rawPartition !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.rawPartition);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a RollupBatch message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.RollupBatch
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.RollupBatch & sluice.v1.RollupBatch.$Shape} RollupBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RollupBatch.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.RollupBatch();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if (!(message.deltas && message.deltas.length))
                                message.deltas = [];
                            message.deltas.push($root.sluice.v1.RollupDelta.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.rawPartition = value;
                            else
                                delete message.rawPartition;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return RollupBatch;
        })();

        v1.FirstSample = (function() {

            /**
             * Properties of a FirstSample.
             * @typedef {Object} sluice.v1.FirstSample.$Properties
             * @property {number|null} [t] FirstSample t
             * @property {number|null} [v] FirstSample v
             * @property {number|null} [d] FirstSample d
             * @property {boolean|null} [r] FirstSample r
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a FirstSample.
             * @memberof sluice.v1
             * @interface IFirstSample
             * @augments sluice.v1.FirstSample.$Properties
             * @deprecated Use sluice.v1.FirstSample.$Properties instead.
             */

            /**
             * Shape of a FirstSample.
             * @typedef {sluice.v1.FirstSample.$Properties} sluice.v1.FirstSample.$Shape
             */

            /**
             * Constructs a new FirstSample.
             * @memberof sluice.v1
             * @classdesc Represents a FirstSample.
             * @constructor
             * @param {sluice.v1.FirstSample.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const FirstSample = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * FirstSample t.
             * @member {number} t
             * @memberof sluice.v1.FirstSample
             * @instance
             */
            FirstSample.prototype.t = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * FirstSample v.
             * @member {number} v
             * @memberof sluice.v1.FirstSample
             * @instance
             */
            FirstSample.prototype.v = 0;

            /**
             * FirstSample d.
             * @member {number} d
             * @memberof sluice.v1.FirstSample
             * @instance
             */
            FirstSample.prototype.d = 0;

            /**
             * FirstSample r.
             * @member {boolean} r
             * @memberof sluice.v1.FirstSample
             * @instance
             */
            FirstSample.prototype.r = false;

            /**
             * Creates a new FirstSample instance using the specified properties.
             * @function create
             * @memberof sluice.v1.FirstSample
             * @static
             * @param {sluice.v1.FirstSample.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.FirstSample} FirstSample instance
             * @type {{
             *   (properties: sluice.v1.FirstSample.$Shape): sluice.v1.FirstSample & sluice.v1.FirstSample.$Shape;
             *   (properties?: sluice.v1.FirstSample.$Properties): sluice.v1.FirstSample;
             * }}
             */
            FirstSample.create = function(properties) {
                return new FirstSample(properties);
            };

            /**
             * Encodes the specified FirstSample message. Does not implicitly {@link sluice.v1.FirstSample.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.FirstSample
             * @static
             * @param {sluice.v1.FirstSample.$Properties} message FirstSample message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FirstSample.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.t != null && $Object.hasOwnProperty.call(message, "t") && (typeof message.t === "object" ? message.t.low || message.t.high : message.t !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).int64(message.t);
                if (message.v != null && $Object.hasOwnProperty.call(message, "v") && !$Object.is(message.v, 0))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.v);
                if (message.d != null && $Object.hasOwnProperty.call(message, "d") && !$Object.is(message.d, 0))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.d);
                if (message.r != null && $Object.hasOwnProperty.call(message, "r") && message.r !== false)
                    writer.uint32(/* id 4, wireType 0 =*/32).bool(message.r);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a FirstSample message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.FirstSample
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.FirstSample & sluice.v1.FirstSample.$Shape} FirstSample
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FirstSample.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.FirstSample();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.t = value;
                            else
                                delete message.t;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.v = value;
                            else
                                delete message.v;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.d = value;
                            else
                                delete message.d;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.r = value;
                            else
                                delete message.r;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return FirstSample;
        })();

        v1.LastSample = (function() {

            /**
             * Properties of a LastSample.
             * @typedef {Object} sluice.v1.LastSample.$Properties
             * @property {number|null} [t] LastSample t
             * @property {number|null} [v] LastSample v
             * @property {number|null} [d] LastSample d
             * @property {number|null} [tp] LastSample tp
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a LastSample.
             * @memberof sluice.v1
             * @interface ILastSample
             * @augments sluice.v1.LastSample.$Properties
             * @deprecated Use sluice.v1.LastSample.$Properties instead.
             */

            /**
             * Shape of a LastSample.
             * @typedef {sluice.v1.LastSample.$Properties} sluice.v1.LastSample.$Shape
             */

            /**
             * Constructs a new LastSample.
             * @memberof sluice.v1
             * @classdesc Represents a LastSample.
             * @constructor
             * @param {sluice.v1.LastSample.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const LastSample = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * LastSample t.
             * @member {number} t
             * @memberof sluice.v1.LastSample
             * @instance
             */
            LastSample.prototype.t = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * LastSample v.
             * @member {number} v
             * @memberof sluice.v1.LastSample
             * @instance
             */
            LastSample.prototype.v = 0;

            /**
             * LastSample d.
             * @member {number} d
             * @memberof sluice.v1.LastSample
             * @instance
             */
            LastSample.prototype.d = 0;

            /**
             * LastSample tp.
             * @member {number} tp
             * @memberof sluice.v1.LastSample
             * @instance
             */
            LastSample.prototype.tp = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new LastSample instance using the specified properties.
             * @function create
             * @memberof sluice.v1.LastSample
             * @static
             * @param {sluice.v1.LastSample.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.LastSample} LastSample instance
             * @type {{
             *   (properties: sluice.v1.LastSample.$Shape): sluice.v1.LastSample & sluice.v1.LastSample.$Shape;
             *   (properties?: sluice.v1.LastSample.$Properties): sluice.v1.LastSample;
             * }}
             */
            LastSample.create = function(properties) {
                return new LastSample(properties);
            };

            /**
             * Encodes the specified LastSample message. Does not implicitly {@link sluice.v1.LastSample.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.LastSample
             * @static
             * @param {sluice.v1.LastSample.$Properties} message LastSample message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            LastSample.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.t != null && $Object.hasOwnProperty.call(message, "t") && (typeof message.t === "object" ? message.t.low || message.t.high : message.t !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).int64(message.t);
                if (message.v != null && $Object.hasOwnProperty.call(message, "v") && !$Object.is(message.v, 0))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.v);
                if (message.d != null && $Object.hasOwnProperty.call(message, "d") && !$Object.is(message.d, 0))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.d);
                if (message.tp != null && $Object.hasOwnProperty.call(message, "tp") && (typeof message.tp === "object" ? message.tp.low || message.tp.high : message.tp !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).int64(message.tp);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a LastSample message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.LastSample
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.LastSample & sluice.v1.LastSample.$Shape} LastSample
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            LastSample.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.LastSample();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.t = value;
                            else
                                delete message.t;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.v = value;
                            else
                                delete message.v;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.d = value;
                            else
                                delete message.d;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.tp = value;
                            else
                                delete message.tp;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return LastSample;
        })();

        v1.DedupState = (function() {

            /**
             * Properties of a DedupState.
             * @typedef {Object} sluice.v1.DedupState.$Properties
             * @property {number|null} [partition] DedupState partition
             * @property {Array.<sluice.v1.AgentSeqs.$Properties>|null} [agents] DedupState agents
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DedupState.
             * @memberof sluice.v1
             * @interface IDedupState
             * @augments sluice.v1.DedupState.$Properties
             * @deprecated Use sluice.v1.DedupState.$Properties instead.
             */

            /**
             * Shape of a DedupState.
             * @typedef {sluice.v1.DedupState.$Properties} sluice.v1.DedupState.$Shape
             */

            /**
             * Constructs a new DedupState.
             * @memberof sluice.v1
             * @classdesc Represents a DedupState.
             * @constructor
             * @param {sluice.v1.DedupState.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DedupState = function (properties) {
                this.agents = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * DedupState partition.
             * @member {number} partition
             * @memberof sluice.v1.DedupState
             * @instance
             */
            DedupState.prototype.partition = 0;

            /**
             * DedupState agents.
             * @member {Array.<sluice.v1.AgentSeqs.$Properties>} agents
             * @memberof sluice.v1.DedupState
             * @instance
             */
            DedupState.prototype.agents = $util.emptyArray;

            /**
             * Creates a new DedupState instance using the specified properties.
             * @function create
             * @memberof sluice.v1.DedupState
             * @static
             * @param {sluice.v1.DedupState.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.DedupState} DedupState instance
             * @type {{
             *   (properties: sluice.v1.DedupState.$Shape): sluice.v1.DedupState & sluice.v1.DedupState.$Shape;
             *   (properties?: sluice.v1.DedupState.$Properties): sluice.v1.DedupState;
             * }}
             */
            DedupState.create = function(properties) {
                return new DedupState(properties);
            };

            /**
             * Encodes the specified DedupState message. Does not implicitly {@link sluice.v1.DedupState.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.DedupState
             * @static
             * @param {sluice.v1.DedupState.$Properties} message DedupState message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DedupState.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.partition != null && $Object.hasOwnProperty.call(message, "partition") && message.partition !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.partition);
                if (message.agents != null && message.agents.length)
                    for (let i = 0; i < message.agents.length; ++i)
                        $root.sluice.v1.AgentSeqs.encode(message.agents[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a DedupState message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.DedupState
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.DedupState & sluice.v1.DedupState.$Shape} DedupState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DedupState.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.DedupState();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.partition = value;
                            else
                                delete message.partition;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.agents && message.agents.length))
                                message.agents = [];
                            message.agents.push($root.sluice.v1.AgentSeqs.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return DedupState;
        })();

        v1.AgentSeqs = (function() {

            /**
             * Properties of an AgentSeqs.
             * @typedef {Object} sluice.v1.AgentSeqs.$Properties
             * @property {string|null} [agentId] AgentSeqs agentId
             * @property {number|null} [floor] AgentSeqs floor
             * @property {Array.<number>|null} [rangeStart] AgentSeqs rangeStart
             * @property {Array.<number>|null} [rangeEnd] AgentSeqs rangeEnd
             * @property {number|null} [lastMs] AgentSeqs lastMs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AgentSeqs.
             * @memberof sluice.v1
             * @interface IAgentSeqs
             * @augments sluice.v1.AgentSeqs.$Properties
             * @deprecated Use sluice.v1.AgentSeqs.$Properties instead.
             */

            /**
             * Shape of an AgentSeqs.
             * @typedef {sluice.v1.AgentSeqs.$Properties} sluice.v1.AgentSeqs.$Shape
             */

            /**
             * Constructs a new AgentSeqs.
             * @memberof sluice.v1
             * @classdesc Represents an AgentSeqs.
             * @constructor
             * @param {sluice.v1.AgentSeqs.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const AgentSeqs = function (properties) {
                this.rangeStart = [];
                this.rangeEnd = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * AgentSeqs agentId.
             * @member {string} agentId
             * @memberof sluice.v1.AgentSeqs
             * @instance
             */
            AgentSeqs.prototype.agentId = "";

            /**
             * AgentSeqs floor.
             * @member {number} floor
             * @memberof sluice.v1.AgentSeqs
             * @instance
             */
            AgentSeqs.prototype.floor = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * AgentSeqs rangeStart.
             * @member {Array.<number>} rangeStart
             * @memberof sluice.v1.AgentSeqs
             * @instance
             */
            AgentSeqs.prototype.rangeStart = $util.emptyArray;

            /**
             * AgentSeqs rangeEnd.
             * @member {Array.<number>} rangeEnd
             * @memberof sluice.v1.AgentSeqs
             * @instance
             */
            AgentSeqs.prototype.rangeEnd = $util.emptyArray;

            /**
             * AgentSeqs lastMs.
             * @member {number} lastMs
             * @memberof sluice.v1.AgentSeqs
             * @instance
             */
            AgentSeqs.prototype.lastMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new AgentSeqs instance using the specified properties.
             * @function create
             * @memberof sluice.v1.AgentSeqs
             * @static
             * @param {sluice.v1.AgentSeqs.$Properties=} [properties] Properties to set
             * @returns {sluice.v1.AgentSeqs} AgentSeqs instance
             * @type {{
             *   (properties: sluice.v1.AgentSeqs.$Shape): sluice.v1.AgentSeqs & sluice.v1.AgentSeqs.$Shape;
             *   (properties?: sluice.v1.AgentSeqs.$Properties): sluice.v1.AgentSeqs;
             * }}
             */
            AgentSeqs.create = function(properties) {
                return new AgentSeqs(properties);
            };

            /**
             * Encodes the specified AgentSeqs message. Does not implicitly {@link sluice.v1.AgentSeqs.verify|verify} messages.
             * @function encode
             * @memberof sluice.v1.AgentSeqs
             * @static
             * @param {sluice.v1.AgentSeqs.$Properties} message AgentSeqs message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AgentSeqs.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.agentId != null && $Object.hasOwnProperty.call(message, "agentId") && message.agentId !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.agentId);
                if (message.floor != null && $Object.hasOwnProperty.call(message, "floor") && (typeof message.floor === "object" ? message.floor.low || message.floor.high : message.floor !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.floor);
                if (message.rangeStart != null && message.rangeStart.length)
                    writer.uint32(/* id 3, wireType 2 =*/26).uint64s(message.rangeStart);
                if (message.rangeEnd != null && message.rangeEnd.length)
                    writer.uint32(/* id 4, wireType 2 =*/34).uint64s(message.rangeEnd);
                if (message.lastMs != null && $Object.hasOwnProperty.call(message, "lastMs") && (typeof message.lastMs === "object" ? message.lastMs.low || message.lastMs.high : message.lastMs !== 0))
                    writer.uint32(/* id 5, wireType 0 =*/40).int64(message.lastMs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an AgentSeqs message from the specified reader or buffer.
             * @function decode
             * @memberof sluice.v1.AgentSeqs
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {sluice.v1.AgentSeqs & sluice.v1.AgentSeqs.$Shape} AgentSeqs
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AgentSeqs.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.sluice.v1.AgentSeqs();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.agentId = value;
                            else
                                delete message.agentId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.floor = value;
                            else
                                delete message.floor;
                            continue;
                        }
                    case 3: {
                            if (wireType === 2) {
                                if (!(message.rangeStart && message.rangeStart.length))
                                    message.rangeStart = [];
                                reader.uint64s(message.rangeStart);
                                continue;
                            }
                            if (wireType !== 0)
                                break;
                            if (!(message.rangeStart && message.rangeStart.length))
                                message.rangeStart = [];
                            message.rangeStart.push(reader.uint64());
                            continue;
                        }
                    case 4: {
                            if (wireType === 2) {
                                if (!(message.rangeEnd && message.rangeEnd.length))
                                    message.rangeEnd = [];
                                reader.uint64s(message.rangeEnd);
                                continue;
                            }
                            if (wireType !== 0)
                                break;
                            if (!(message.rangeEnd && message.rangeEnd.length))
                                message.rangeEnd = [];
                            message.rangeEnd.push(reader.uint64());
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.lastMs = value;
                            else
                                delete message.lastMs;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return AgentSeqs;
        })();

        return v1;
    })();

    return sluice;
})();

export {
  $root as default
};
