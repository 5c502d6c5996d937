/**
 * 64-bit integers as JavaScript numbers: every int64/uint64 Sluice sends (ms timestamps, seqs, counts)
 * stays far below 2^53. Must run before the generated code loads (it reads `util.Long` at load time).
 */
import $protobuf from 'protobufjs/minimal.js';

$protobuf.util.Long = undefined as never;
$protobuf.configure();
