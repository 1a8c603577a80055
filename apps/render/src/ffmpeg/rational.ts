export type Rational = { num: number; den: number };

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y) [x, y] = [y, x % y];
  return x;
}

export function reduce({ num, den }: Rational): Rational {
  const d = gcd(num, den) || 1;
  return { num: num / d, den: den / d };
}

/** ffprobe's "30000/1001"; "0/0" and anything non-positive mean "unknown". */
export function parseRational(text: string | undefined): Rational | null {
  if (!text) return null;
  const match = /^(-?\d+)(?:[/:](-?\d+))?$/.exec(text.trim());
  if (!match) return null;
  const num = Number(match[1]);
  const den = match[2] === undefined ? 1 : Number(match[2]);
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || num <= 0 || den <= 0) return null;
  return reduce({ num, den });
}

export function toNumber({ num, den }: Rational): number {
  return num / den;
}

/** A decimal as a rational with a denominator up to `maxDen` (1000 is enough for rates). */
export function fromNumber(value: number, maxDen = 1000): Rational {
  return reduce({ num: Math.round(value * maxDen), den: maxDen });
}

export function formatRational({ num, den }: Rational): string {
  return `${num}/${den}`;
}
