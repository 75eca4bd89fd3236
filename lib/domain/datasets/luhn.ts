/**
 * The Luhn checksum over the digits of text[start, end), ignoring any other characters (the
 * spaces and dashes of "4111 1111 1111 1111"). Payment card numbers pass it; about one random
 * digit string in ten does too, so it narrows card detection rather than proving it.
 */
export function luhnValid(text: string, start = 0, end = text.length): boolean {
  let sum = 0;
  let digits = 0;
  for (let i = end - 1; i >= start; i--) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) continue;
    if (digits % 2 === 1) {
      const d = c * 2;
      sum += d > 9 ? d - 9 : d;
    } else {
      sum += c;
    }
    digits++;
  }
  return digits >= 2 && sum % 10 === 0;
}
