/**
 * Exact split of a pcapng 64-bit time stamp into seconds + nanoseconds with double arithmetic
 * only (no BigInt, no allocation). pcapng 4.3: the time stamp is a 64-bit count of units, stored
 * as two 32-bit halves; pcapng 4.2 if_tsresol: the unit is 10^-n seconds (high bit clear) or
 * 2^-n seconds (high bit set). 1.6e18 nanoseconds is past 2^53, so `high * 2^32 + low` would
 * round; instead the division is done on the halves, and every intermediate stays below 2^53.
 * Nanoseconds are truncated, as Wireshark does (pcapng.c: (ts % units) * 10^9 / units).
 */

/** Where the split is written (reuse one object: nothing is allocated per packet). */
export interface TimestampParts {
  seconds: number;
  nanoseconds: number;
}

/** A time stamp unit: 10^-exponent (0..19) or, when `binary`, 2^-exponent (0..63) seconds. */
export interface TimestampResolution {
  exponent: number;
  binary: boolean;
}

const TWO_32 = 4294967296;
/** 10^9 = 2^9 * 5^9. */
const FIVE_9 = 1953125;
const POWERS_OF_FIVE = powers(5, 19);
const POWERS_OF_TWO = powers(2, 63);

/** base^0..base^last by repeated multiplication (exact: every value is a representable double). */
function powers(base: number, last: number): number[] {
  const result = [1];
  for (let n = 1; n <= last; n++) result.push(result[n - 1]! * base);
  return result;
}
const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * The resolution whose units per second is `unitsPerSecond` (InterfaceInfo.unitsPerSecond),
 * or undefined when it is neither 10^0..10^19 nor 2^0..2^63.
 */
export function timestampResolutionOf(unitsPerSecond: number): TimestampResolution | undefined {
  let power = 1;
  for (let exponent = 0; exponent <= 19; exponent++, power *= 10) {
    if (power === unitsPerSecond) return { exponent, binary: false };
  }
  for (let exponent = 0; exponent <= 63; exponent++) {
    if (POWERS_OF_TWO[exponent] === unitsPerSecond) return { exponent, binary: true };
  }
  return undefined;
}

/**
 * Splits the time stamp `high * 2^32 + low` (both unsigned 32-bit) in units of 10^-exponent or
 * 2^-exponent seconds into `out`. Seconds are exact below 2^53.
 */
export function splitTimestamp(
  high: number,
  low: number,
  exponent: number,
  binary: boolean,
  out: TimestampParts,
): void {
  // Step 1: shift right by `exponent` bits (10^n = 2^n * 5^n, so both kinds start with 2^n).
  // quotient = qHigh * 2^32 + qLow; the bits shifted out are rHigh * 2^32 + rLow.
  let qHigh = high;
  let qLow = low;
  let rHigh = 0;
  let rLow = 0;
  if (exponent >= 32) {
    const divisor = POWERS_OF_TWO[exponent - 32]!;
    qHigh = 0;
    qLow = Math.floor(high / divisor);
    rHigh = high % divisor;
    rLow = low;
  } else if (exponent > 0) {
    const divisor = POWERS_OF_TWO[exponent]!;
    qHigh = Math.floor(high / divisor);
    qLow = (high % divisor) * (TWO_32 / divisor) + Math.floor(low / divisor);
    rLow = low % divisor;
  }
  if (binary) {
    out.seconds = qHigh * TWO_32 + qLow;
    // nanoseconds = floor(r * 10^9 / 2^n) = floor(r * 5^9 / 2^(n-9)), with r = rHigh * 2^32 + rLow.
    const productHigh = rHigh * FIVE_9; // < 2^32 * 5^9 < 2^53
    const productLow = rLow * FIVE_9;
    const shift = exponent - 9;
    out.nanoseconds =
      shift >= 32
        ? Math.floor((productHigh + Math.floor(productLow / TWO_32)) / POWERS_OF_TWO[shift - 32]!)
        : productHigh * 2 ** (32 - shift) + Math.floor(productLow / 2 ** shift);
    return;
  }
  splitDecimal(qHigh, qLow, rLow, exponent, out);
}

/** Step 2 for 10^-n units (n <= 19, so the shifted-out bits fit in rLow): divide by 5^n. */
function splitDecimal(
  qHigh: number,
  qLow: number,
  rLow: number,
  exponent: number,
  out: TimestampParts,
): void {
  if (exponent === 0) {
    out.seconds = qHigh * TWO_32 + qLow;
    out.nanoseconds = 0;
    return;
  }
  const divisor = POWERS_OF_FIVE[exponent]!;
  let quotient: number;
  let remainder: number;
  if (exponent <= 9) {
    // 5^n < 2^21: two 32-bit digits, remainder * 2^32 + digit stays below 2^53.
    const quotientHigh = Math.floor(qHigh / divisor);
    const dividend = (qHigh - quotientHigh * divisor) * TWO_32 + qLow;
    const quotientLow = exactQuotient(dividend, divisor);
    remainder = dividend - quotientLow * divisor;
    quotient = quotientHigh * TWO_32 + quotientLow;
  } else {
    // 5^n < 2^45: one byte at a time, remainder * 256 + byte stays below 2^53.
    quotient = 0;
    remainder = 0;
    for (let i = 0; i < 8; i++) {
      const word = i < 4 ? qHigh : qLow;
      const dividend = remainder * 256 + ((word >>> (24 - 8 * (i & 3))) & 0xff);
      const digit = exactQuotient(dividend, divisor);
      remainder = dividend - digit * divisor;
      quotient = quotient * 256 + digit;
    }
  }
  out.seconds = quotient;
  // Fraction in units: remainder * 2^n + rLow (< 10^n). Nanoseconds = floor(fraction / 10^(n-9)).
  if (exponent <= 9) {
    out.nanoseconds = (remainder * POWERS_OF_TWO[exponent]! + rLow) * POWERS_OF_TEN[9 - exponent]!;
    return;
  }
  // fraction / 10^m with m = n - 9 = (remainder * 2^9 + rLow / 2^m) / 5^m; split remainder by
  // 5^m so that every product stays small.
  const m = exponent - 9;
  const fiveM = POWERS_OF_FIVE[m]!;
  const whole = Math.floor(remainder / fiveM);
  const rest = remainder - whole * fiveM;
  out.nanoseconds = whole * 512 + Math.floor((rest * 512 + Math.floor(rLow / POWERS_OF_TWO[m]!)) / fiveM);
}

/** floor(dividend / divisor) for integers below 2^53, corrected for the rounding of the division. */
function exactQuotient(dividend: number, divisor: number): number {
  const quotient = Math.floor(dividend / divisor);
  const remainder = dividend - quotient * divisor;
  if (remainder < 0) return quotient - 1;
  if (remainder >= divisor) return quotient + 1;
  return quotient;
}
