// ISO 8601 repeating intervals (`R[n]/start/duration`, `R[n]/duration/end`, `R[n]/start/end`)
// as Rafiki's getInterval (limits.ts, luxon in UTC) reads them: the first interval, then up to n
// more after it (before it for `duration/end`); `R` and `R-1` repeat without end.

export type Period = { readonly start: Date; readonly end: Date }

type Duration = {
  readonly years: number
  readonly months: number
  /** Days, hours, minutes and seconds: a fixed length in UTC. */
  readonly ms: number
}

const durationPattern =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/
const dateTimePattern =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i
const repetitionsPattern = /^R(-1|\d+)?$/
// A repetition count beyond this is as good as unbounded (and keeps the arithmetic exact).
const repetitionsMax = 1_000_000_000

function parseDuration(text: string): Duration | undefined {
  const match = durationPattern.exec(text)
  if (!match || text === 'P' || text.endsWith('T')) return undefined
  const n = (index: number) => Number(match[index] ?? 0)
  const ms = ((n(3) * 7 + n(4)) * 24 + n(5)) * 3_600_000 + n(6) * 60_000 + n(7) * 1000
  const duration = { years: n(1), months: n(2), ms }
  return isEmpty(duration) ? undefined : duration
}

const isEmpty = (d: Duration) => d.years === 0 && d.months === 0 && d.ms === 0

function parseDateTime(text: string): Date | undefined {
  const match = dateTimePattern.exec(text)
  if (!match) return undefined
  // No offset: UTC, as Rafiki sets luxon's default zone (Date.parse would use local time).
  const date = new Date(match[1] === undefined && text.includes('T') ? `${text}Z` : text)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** `date` moved by `sign` x `duration`: calendar years and months (day clamped), then the rest. */
function shift(date: Date, duration: Duration, sign: 1 | -1): Date {
  const totalMonths = date.getUTCMonth() + sign * (duration.years * 12 + duration.months)
  const year = date.getUTCFullYear() + Math.floor(totalMonths / 12)
  const month = ((totalMonths % 12) + 12) % 12
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  const moved = new Date(date.getTime())
  moved.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay))
  return new Date(moved.getTime() + sign * duration.ms)
}

const contains = (period: Period, at: number) =>
  period.start.getTime() <= at && at < period.end.getTime()

type Parsed = {
  readonly first: Period
  readonly duration: Duration
  readonly forward: boolean
  readonly repetitions: number
}

function parse(repeating: string): Parsed | undefined {
  const parts = repeating.split('/')
  if (parts.length !== 3) return undefined
  const [r = '', left = '', right = ''] = parts
  const reps = repetitionsPattern.exec(r)
  if (!reps) return undefined
  const repetitions =
    reps[1] === undefined || reps[1] === '-1' ? Infinity : Math.min(Number(reps[1]), repetitionsMax)
  if (left.startsWith('P')) {
    const duration = parseDuration(left)
    const end = parseDateTime(right)
    if (!duration || !end) return undefined
    return {
      first: { start: shift(end, duration, -1), end },
      duration,
      forward: false,
      repetitions,
    }
  }
  const start = parseDateTime(left)
  if (!start) return undefined
  if (right.startsWith('P')) {
    const duration = parseDuration(right)
    if (!duration) return undefined
    return {
      first: { start, end: shift(start, duration, 1) },
      duration,
      forward: true,
      repetitions,
    }
  }
  const end = parseDateTime(right)
  if (!end || end.getTime() <= start.getTime()) return undefined
  const duration = { years: 0, months: 0, ms: end.getTime() - start.getTime() }
  return { first: { start, end }, duration, forward: true, repetitions }
}

/**
 * The interval of `repeating` that contains `at` (start inclusive, end exclusive), or undefined
 * when none does (before the first, after the last repetition) or the text is not a repeating
 * interval.
 */
export function repeatingIntervalAt(repeating: string, at: Date): Period | undefined {
  const parsed = parse(repeating)
  if (!parsed) return undefined
  const { first, duration, forward, repetitions } = parsed
  const t = at.getTime()
  if (contains(first, t)) return first
  if (forward ? t < first.start.getTime() : t >= first.end.getTime()) return undefined
  if (duration.years === 0 && duration.months === 0) {
    // Fixed length: jump straight to the k-th repetition.
    const distance = forward ? t - first.start.getTime() : first.end.getTime() - t - 1
    const k = Math.floor(distance / duration.ms)
    if (k > repetitions) return undefined
    const offset = (forward ? 1 : -1) * k * duration.ms
    return {
      start: new Date(first.start.getTime() + offset),
      end: new Date(first.end.getTime() + offset),
    }
  }
  // Calendar lengths: step interval by interval (a month at least, so few steps), as luxon does.
  let period = first
  for (let i = 1; i <= repetitions; i += 1) {
    period = forward
      ? { start: period.end, end: shift(period.end, duration, 1) }
      : { start: shift(period.start, duration, -1), end: period.start }
    if (contains(period, t)) return period
    if (forward ? period.start.getTime() > t : period.end.getTime() <= t) return undefined
  }
  return undefined
}

/** Whether `text` is an ISO 8601 repeating interval this module understands. */
export const isRepeatingInterval = (text: string): boolean => parse(text) !== undefined
