import * as $protobuf from "protobufjs";
import Long = require("long");

export namespace sluice {

    namespace v1 {

        interface IAgentPayload extends sluice.v1.AgentPayload.$Properties {
        }

        class AgentPayload {
            constructor(properties?: sluice.v1.AgentPayload.$Properties);
            $unknowns?: Uint8Array[];
            agentId: string;
            seq: number;
            host?: (sluice.v1.HostInfo.$Properties|null);
            series: sluice.v1.Series.$Properties[];
            createdMs: number;
            drops?: (sluice.v1.AgentDrops.$Properties|null);
            static create(properties: sluice.v1.AgentPayload.$Shape): sluice.v1.AgentPayload & sluice.v1.AgentPayload.$Shape;
            static create(properties?: sluice.v1.AgentPayload.$Properties): sluice.v1.AgentPayload;
            static encode(message: sluice.v1.AgentPayload.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.AgentPayload & sluice.v1.AgentPayload.$Shape;
        }

        namespace AgentPayload {
            interface $Properties {
                agentId?: (string|null);
                seq?: (number|null);
                host?: (sluice.v1.HostInfo.$Properties|null);
                series?: (sluice.v1.Series.$Properties[]|null);
                createdMs?: (number|null);
                drops?: (sluice.v1.AgentDrops.$Properties|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.AgentPayload.$Properties;
        }

        interface IAgentDrops extends sluice.v1.AgentDrops.$Properties {
        }

        class AgentDrops {
            constructor(properties?: sluice.v1.AgentDrops.$Properties);
            $unknowns?: Uint8Array[];
            epoch: number;
            counts: sluice.v1.DropCount.$Properties[];
            static create(properties: sluice.v1.AgentDrops.$Shape): sluice.v1.AgentDrops & sluice.v1.AgentDrops.$Shape;
            static create(properties?: sluice.v1.AgentDrops.$Properties): sluice.v1.AgentDrops;
            static encode(message: sluice.v1.AgentDrops.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.AgentDrops & sluice.v1.AgentDrops.$Shape;
        }

        namespace AgentDrops {
            interface $Properties {
                epoch?: (number|null);
                counts?: (sluice.v1.DropCount.$Properties[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.AgentDrops.$Properties;
        }

        interface IDropCount extends sluice.v1.DropCount.$Properties {
        }

        class DropCount {
            constructor(properties?: sluice.v1.DropCount.$Properties);
            $unknowns?: Uint8Array[];
            reason: string;
            payloads: number;
            samples: number;
            bytes: number;
            minTimeMs: number;
            maxTimeMs: number;
            static create(properties: sluice.v1.DropCount.$Shape): sluice.v1.DropCount & sluice.v1.DropCount.$Shape;
            static create(properties?: sluice.v1.DropCount.$Properties): sluice.v1.DropCount;
            static encode(message: sluice.v1.DropCount.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.DropCount & sluice.v1.DropCount.$Shape;
        }

        namespace DropCount {
            interface $Properties {
                reason?: (string|null);
                payloads?: (number|null);
                samples?: (number|null);
                bytes?: (number|null);
                minTimeMs?: (number|null);
                maxTimeMs?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.DropCount.$Properties;
        }

        interface IHostInfo extends sluice.v1.HostInfo.$Properties {
        }

        class HostInfo {
            constructor(properties?: sluice.v1.HostInfo.$Properties);
            $unknowns?: Uint8Array[];
            hostname: string;
            os: string;
            arch: string;
            agentVersion: string;
            static create(properties: sluice.v1.HostInfo.$Shape): sluice.v1.HostInfo & sluice.v1.HostInfo.$Shape;
            static create(properties?: sluice.v1.HostInfo.$Properties): sluice.v1.HostInfo;
            static encode(message: sluice.v1.HostInfo.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.HostInfo & sluice.v1.HostInfo.$Shape;
        }

        namespace HostInfo {
            interface $Properties {
                hostname?: (string|null);
                os?: (string|null);
                arch?: (string|null);
                agentVersion?: (string|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.HostInfo.$Properties;
        }

        interface ILabel extends sluice.v1.Label.$Properties {
        }

        class Label {
            constructor(properties?: sluice.v1.Label.$Properties);
            $unknowns?: Uint8Array[];
            name: string;
            value: string;
            static create(properties: sluice.v1.Label.$Shape): sluice.v1.Label & sluice.v1.Label.$Shape;
            static create(properties?: sluice.v1.Label.$Properties): sluice.v1.Label;
            static encode(message: sluice.v1.Label.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.Label & sluice.v1.Label.$Shape;
        }

        namespace Label {
            interface $Properties {
                name?: (string|null);
                value?: (string|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.Label.$Properties;
        }

        enum Kind {
            KIND_UNSPECIFIED = 0,
            GAUGE = 1,
            COUNTER = 2,
            HISTOGRAM = 3
        }

        interface ISeries extends sluice.v1.Series.$Properties {
        }

        class Series {
            constructor(properties?: sluice.v1.Series.$Properties);
            $unknowns?: Uint8Array[];
            name: string;
            labels: sluice.v1.Label.$Properties[];
            kind: sluice.v1.Kind;
            gauge: sluice.v1.GaugeSample.$Properties[];
            counter: sluice.v1.CounterSample.$Properties[];
            histogram: sluice.v1.HistogramSample.$Properties[];
            static create(properties: sluice.v1.Series.$Shape): sluice.v1.Series & sluice.v1.Series.$Shape;
            static create(properties?: sluice.v1.Series.$Properties): sluice.v1.Series;
            static encode(message: sluice.v1.Series.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.Series & sluice.v1.Series.$Shape;
        }

        namespace Series {
            interface $Properties {
                name?: (string|null);
                labels?: (sluice.v1.Label.$Properties[]|null);
                kind?: (sluice.v1.Kind|null);
                gauge?: (sluice.v1.GaugeSample.$Properties[]|null);
                counter?: (sluice.v1.CounterSample.$Properties[]|null);
                histogram?: (sluice.v1.HistogramSample.$Properties[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.Series.$Properties;
        }

        interface IGaugeSample extends sluice.v1.GaugeSample.$Properties {
        }

        class GaugeSample {
            constructor(properties?: sluice.v1.GaugeSample.$Properties);
            $unknowns?: Uint8Array[];
            tMs: number;
            v: number;
            static create(properties: sluice.v1.GaugeSample.$Shape): sluice.v1.GaugeSample & sluice.v1.GaugeSample.$Shape;
            static create(properties?: sluice.v1.GaugeSample.$Properties): sluice.v1.GaugeSample;
            static encode(message: sluice.v1.GaugeSample.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.GaugeSample & sluice.v1.GaugeSample.$Shape;
        }

        namespace GaugeSample {
            interface $Properties {
                tMs?: (number|null);
                v?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.GaugeSample.$Properties;
        }

        interface ICounterSample extends sluice.v1.CounterSample.$Properties {
        }

        class CounterSample {
            constructor(properties?: sluice.v1.CounterSample.$Properties);
            $unknowns?: Uint8Array[];
            tMs: number;
            v: number;
            d: number;
            tpMs: number;
            reset: boolean;
            static create(properties: sluice.v1.CounterSample.$Shape): sluice.v1.CounterSample & sluice.v1.CounterSample.$Shape;
            static create(properties?: sluice.v1.CounterSample.$Properties): sluice.v1.CounterSample;
            static encode(message: sluice.v1.CounterSample.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.CounterSample & sluice.v1.CounterSample.$Shape;
        }

        namespace CounterSample {
            interface $Properties {
                tMs?: (number|null);
                v?: (number|null);
                d?: (number|null);
                tpMs?: (number|null);
                reset?: (boolean|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.CounterSample.$Properties;
        }

        interface IHistogramSample extends sluice.v1.HistogramSample.$Properties {
        }

        class HistogramSample {
            constructor(properties?: sluice.v1.HistogramSample.$Properties);
            $unknowns?: Uint8Array[];
            tMs: number;
            count: number;
            sum: number;
            zeroCount: number;
            schema: number;
            zeroThreshold: number;
            positive: { [k: string]: number };
            negative: { [k: string]: number };
            static create(properties: sluice.v1.HistogramSample.$Shape): sluice.v1.HistogramSample & sluice.v1.HistogramSample.$Shape;
            static create(properties?: sluice.v1.HistogramSample.$Properties): sluice.v1.HistogramSample;
            static encode(message: sluice.v1.HistogramSample.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.HistogramSample & sluice.v1.HistogramSample.$Shape;
        }

        namespace HistogramSample {
            interface $Properties {
                tMs?: (number|null);
                count?: (number|null);
                sum?: (number|null);
                zeroCount?: (number|null);
                schema?: (number|null);
                zeroThreshold?: (number|null);
                positive?: ({ [k: string]: number }|null);
                negative?: ({ [k: string]: number }|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.HistogramSample.$Properties;
        }

        interface IRawRecord extends sluice.v1.RawRecord.$Properties {
        }

        class RawRecord {
            constructor(properties?: sluice.v1.RawRecord.$Properties);
            $unknowns?: Uint8Array[];
            payload?: (sluice.v1.AgentPayload.$Properties|null);
            tenant: string;
            receivedMs: number;
            static create(properties: sluice.v1.RawRecord.$Shape): sluice.v1.RawRecord & sluice.v1.RawRecord.$Shape;
            static create(properties?: sluice.v1.RawRecord.$Properties): sluice.v1.RawRecord;
            static encode(message: sluice.v1.RawRecord.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.RawRecord & sluice.v1.RawRecord.$Shape;
        }

        namespace RawRecord {
            interface $Properties {
                payload?: (sluice.v1.AgentPayload.$Properties|null);
                tenant?: (string|null);
                receivedMs?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.RawRecord.$Properties;
        }

        interface IRollupDelta extends sluice.v1.RollupDelta.$Properties {
        }

        class RollupDelta {
            constructor(properties?: sluice.v1.RollupDelta.$Properties);
            $unknowns?: Uint8Array[];
            seriesId: string;
            tenant: string;
            name: string;
            labels: sluice.v1.Label.$Properties[];
            kind: sluice.v1.Kind;
            res: number;
            endMs: number;
            n: number;
            sum: number;
            sumsq: number;
            min: number;
            max: number;
            first?: (sluice.v1.FirstSample.$Properties|null);
            last?: (sluice.v1.LastSample.$Properties|null);
            inc: number;
            resets: number;
            hc: number;
            hs: number;
            hz: number;
            hp: { [k: string]: number };
            hn: { [k: string]: number };
            schema: number;
            static create(properties: sluice.v1.RollupDelta.$Shape): sluice.v1.RollupDelta & sluice.v1.RollupDelta.$Shape;
            static create(properties?: sluice.v1.RollupDelta.$Properties): sluice.v1.RollupDelta;
            static encode(message: sluice.v1.RollupDelta.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.RollupDelta & sluice.v1.RollupDelta.$Shape;
        }

        namespace RollupDelta {
            interface $Properties {
                seriesId?: (string|null);
                tenant?: (string|null);
                name?: (string|null);
                labels?: (sluice.v1.Label.$Properties[]|null);
                kind?: (sluice.v1.Kind|null);
                res?: (number|null);
                endMs?: (number|null);
                n?: (number|null);
                sum?: (number|null);
                sumsq?: (number|null);
                min?: (number|null);
                max?: (number|null);
                first?: (sluice.v1.FirstSample.$Properties|null);
                last?: (sluice.v1.LastSample.$Properties|null);
                inc?: (number|null);
                resets?: (number|null);
                hc?: (number|null);
                hs?: (number|null);
                hz?: (number|null);
                hp?: ({ [k: string]: number }|null);
                hn?: ({ [k: string]: number }|null);
                schema?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.RollupDelta.$Properties;
        }

        interface IRollupBatch extends sluice.v1.RollupBatch.$Properties {
        }

        class RollupBatch {
            constructor(properties?: sluice.v1.RollupBatch.$Properties);
            $unknowns?: Uint8Array[];
            deltas: sluice.v1.RollupDelta.$Properties[];
            rawPartition: number;
            static create(properties: sluice.v1.RollupBatch.$Shape): sluice.v1.RollupBatch & sluice.v1.RollupBatch.$Shape;
            static create(properties?: sluice.v1.RollupBatch.$Properties): sluice.v1.RollupBatch;
            static encode(message: sluice.v1.RollupBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.RollupBatch & sluice.v1.RollupBatch.$Shape;
        }

        namespace RollupBatch {
            interface $Properties {
                deltas?: (sluice.v1.RollupDelta.$Properties[]|null);
                rawPartition?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.RollupBatch.$Properties;
        }

        interface IFirstSample extends sluice.v1.FirstSample.$Properties {
        }

        class FirstSample {
            constructor(properties?: sluice.v1.FirstSample.$Properties);
            $unknowns?: Uint8Array[];
            t: number;
            v: number;
            d: number;
            r: boolean;
            static create(properties: sluice.v1.FirstSample.$Shape): sluice.v1.FirstSample & sluice.v1.FirstSample.$Shape;
            static create(properties?: sluice.v1.FirstSample.$Properties): sluice.v1.FirstSample;
            static encode(message: sluice.v1.FirstSample.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.FirstSample & sluice.v1.FirstSample.$Shape;
        }

        namespace FirstSample {
            interface $Properties {
                t?: (number|null);
                v?: (number|null);
                d?: (number|null);
                r?: (boolean|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.FirstSample.$Properties;
        }

        interface ILastSample extends sluice.v1.LastSample.$Properties {
        }

        class LastSample {
            constructor(properties?: sluice.v1.LastSample.$Properties);
            $unknowns?: Uint8Array[];
            t: number;
            v: number;
            d: number;
            tp: number;
            static create(properties: sluice.v1.LastSample.$Shape): sluice.v1.LastSample & sluice.v1.LastSample.$Shape;
            static create(properties?: sluice.v1.LastSample.$Properties): sluice.v1.LastSample;
            static encode(message: sluice.v1.LastSample.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.LastSample & sluice.v1.LastSample.$Shape;
        }

        namespace LastSample {
            interface $Properties {
                t?: (number|null);
                v?: (number|null);
                d?: (number|null);
                tp?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.LastSample.$Properties;
        }

        interface IDedupState extends sluice.v1.DedupState.$Properties {
        }

        class DedupState {
            constructor(properties?: sluice.v1.DedupState.$Properties);
            $unknowns?: Uint8Array[];
            partition: number;
            agents: sluice.v1.AgentSeqs.$Properties[];
            static create(properties: sluice.v1.DedupState.$Shape): sluice.v1.DedupState & sluice.v1.DedupState.$Shape;
            static create(properties?: sluice.v1.DedupState.$Properties): sluice.v1.DedupState;
            static encode(message: sluice.v1.DedupState.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.DedupState & sluice.v1.DedupState.$Shape;
        }

        namespace DedupState {
            interface $Properties {
                partition?: (number|null);
                agents?: (sluice.v1.AgentSeqs.$Properties[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.DedupState.$Properties;
        }

        interface IAgentSeqs extends sluice.v1.AgentSeqs.$Properties {
        }

        class AgentSeqs {
            constructor(properties?: sluice.v1.AgentSeqs.$Properties);
            $unknowns?: Uint8Array[];
            agentId: string;
            floor: number;
            rangeStart: number[];
            rangeEnd: number[];
            lastMs: number;
            static create(properties: sluice.v1.AgentSeqs.$Shape): sluice.v1.AgentSeqs & sluice.v1.AgentSeqs.$Shape;
            static create(properties?: sluice.v1.AgentSeqs.$Properties): sluice.v1.AgentSeqs;
            static encode(message: sluice.v1.AgentSeqs.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): sluice.v1.AgentSeqs & sluice.v1.AgentSeqs.$Shape;
        }

        namespace AgentSeqs {
            interface $Properties {
                agentId?: (string|null);
                floor?: (number|null);
                rangeStart?: (number[]|null);
                rangeEnd?: (number[]|null);
                lastMs?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = sluice.v1.AgentSeqs.$Properties;
        }
    }
}
