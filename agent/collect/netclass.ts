/**
 * Network device state from /sys/class/net/<dev>/ (no device filter, as node_exporter's netclass).
 * Pure: the driver reads the files named in NETCLASS_FILES (undefined when unreadable, e.g. `speed` on
 * a virtual link or `carrier` on a down one) and hands them here.
 */
import { counter, gauge, type Point, parseRaw } from '../model.ts';

export const NETCLASS_FILES = [
  'operstate',
  'address',
  'broadcast',
  'duplex',
  'ifalias',
  'flags',
  'speed',
  'mtu',
  'carrier',
  'statistics/rx_nohandler',
] as const;

export type NetclassFiles = Partial<Record<(typeof NETCLASS_FILES)[number], string>>;

function int(s: string | undefined): number {
  if (s === undefined) return Number.NaN;
  const t = s.trim();
  return /^-?\d+$/.test(t) ? Number(t) : /^0x[0-9a-f]+$/i.test(t) ? Number.parseInt(t, 16) : Number.NaN;
}

export function netclassPoints(device: string, files: NetclassFiles): Point[] {
  const out: Point[] = [];
  const labels = { device };
  const operstate = files.operstate?.trim();
  if (operstate !== undefined) out.push(gauge('node_network_up', operstate === 'up' ? 1 : 0, labels));
  const flags = int(files.flags);
  out.push(
    gauge('node_network_info', 1, {
      device,
      address: files.address?.trim() ?? '',
      broadcast: files.broadcast?.trim() ?? '',
      duplex: files.duplex?.trim() ?? '',
      operstate: operstate ?? '',
      ifalias: files.ifalias?.trim() ?? '',
      adminstate: Number.isFinite(flags) ? (flags & 1 ? 'up' : 'down') : '',
    }),
  );
  const speed = int(files.speed);
  if (Number.isFinite(speed) && speed >= 0)
    out.push(gauge('node_network_speed_bytes', speed * 125_000, labels));
  const mtu = int(files.mtu);
  if (Number.isFinite(mtu)) out.push(gauge('node_network_mtu_bytes', mtu, labels));
  const carrier = int(files.carrier);
  if (Number.isFinite(carrier)) out.push(gauge('node_network_carrier', carrier, labels));
  const nohandler = parseRaw(files['statistics/rx_nohandler']?.trim());
  if (typeof nohandler === 'bigint' || Number.isFinite(nohandler))
    out.push(counter('node_network_receive_nohandler_total', nohandler, undefined, labels));
  return out;
}
