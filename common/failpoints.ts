/**
 * Named crash points for fault tests: `SLUICE_FAILPOINTS=connect.after-write=3,processor.before-commit=2`
 * makes the process kill itself with SIGKILL the 3rd time it passes `connect.after-write` (the 2nd
 * time for the other). No effect when the variable is unset; read once at start.
 */
const plan = new Map<string, number>();
for (const item of (process.env.SLUICE_FAILPOINTS ?? '').split(',').filter(Boolean)) {
  const [name, n] = item.split('=');
  if (name) plan.set(name.trim(), Number(n ?? 1));
}
const seen = new Map<string, number>();

export function failpoint(name: string): void {
  const at = plan.get(name);
  if (at === undefined) return;
  const count = (seen.get(name) ?? 0) + 1;
  seen.set(name, count);
  if (count === at) {
    process.stderr.write(
      `${JSON.stringify({ level: 60, msg: 'failpoint: SIGKILL', failpoint: name, count })}\n`,
    );
    process.kill(process.pid, 'SIGKILL');
  }
}
