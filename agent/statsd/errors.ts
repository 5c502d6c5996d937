/**
 * The answers of the agent's StatsD HTTP intake (`POST /v1/statsd`), one row per code. README's
 * "App metrics" section lists them; a test holds the two equal.
 */

export const STATSD_HTTP_ERRORS = {
  SLC_ERR_STATSD_METHOD_NOT_ALLOWED: { status: 405, description: 'Only POST is accepted on /v1/statsd.' },
  SLC_ERR_STATSD_CONTENT_ENCODING: {
    status: 415,
    description: 'Content-Encoding is not absent/`identity` (the body is plain text).',
  },
  SLC_ERR_STATSD_BODY_TOO_LARGE: {
    status: 413,
    description: 'The body exceeds SLUICE_AGENT_STATSD_MAX_BODY_BYTES; nothing of it is recorded.',
  },
  SLC_ERR_STATSD_UTF8_INVALID: {
    status: 400,
    description: 'The body is not valid UTF-8; nothing of it is recorded.',
  },
  SLC_ERR_STATSD_LINES_REFUSED: {
    status: 400,
    description:
      'Some lines were refused (`refused`: count per reason, `first`: the first one’s line number and reason); the other lines, `recorded`, are recorded: lines are independent, as in a UDP packet, so do not resend the body.',
  },
  SLC_ERR_STATSD_SHUTTING_DOWN: {
    status: 503,
    description: 'The agent is shutting down; nothing of the body is recorded; retry once the agent is back.',
  },
} as const;

export type StatsdHttpError = keyof typeof STATSD_HTTP_ERRORS;

/** The README table of the codes above. */
export function statsdErrorTableMarkdown(): string {
  const lines = ['| code | HTTP status | meaning |', '| --- | --- | --- |'];
  for (const [code, e] of Object.entries(STATSD_HTTP_ERRORS)) {
    lines.push(`| \`${code}\` | ${e.status} | ${e.description} |`);
  }
  return lines.join('\n');
}
