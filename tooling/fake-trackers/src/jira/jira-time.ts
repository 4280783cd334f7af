/** Offset of `timeZone` from UTC at `epochMs`, in minutes (e.g. -300 for New York in winter). */
export function zoneOffsetMinutes(timeZone: string, epochMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epochMs));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? '0');
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

/** Epoch ms of a wall-clock time in `timeZone` (the way Jira reads a bare JQL datetime). */
export function wallClockToEpoch(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): number {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  let guess = naive - zoneOffsetMinutes(timeZone, naive) * 60_000;
  guess = naive - zoneOffsetMinutes(timeZone, guess) * 60_000;
  return guess;
}

/** Jira's timestamp format in the user's zone: `2026-03-01T10:00:00.000+0100`. */
export function formatJiraTimestamp(epochMs: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(timeZone, epochMs);
  const local = new Date(epochMs + offset * 60_000).toISOString().slice(0, 23);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}${mm}`;
}
