/** A single-quoted shell word: safe for any text, quotes included. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl command that posts one telemetry event for `modelName`, for the empty Telemetry panel.
 * The timestamp is the shell's current UTC time (a fixed date would fall outside the window the
 * panel shows); the key comes from an environment variable, never from the page.
 */
export function telemetryCurlExample(modelName: string): string {
  const before = `{"events":[{"timestamp":"`;
  const after = `","model":${JSON.stringify(modelName)},"outcome":"success","toolCallValid":true,"escalated":false,"latencyMs":420,"costUsd":0.0004,"tool":"get_weather","intent":"weather"}]}`;
  return [
    `curl -X POST "$RETUNE_URL/api/v1/telemetry" \\`,
    `  -H "Authorization: Bearer $RETUNE_API_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    // Close the quote around the JSON for the date, then reopen it: one shell word in the end.
    `  -d ${shellQuote(before)}"$(date -u +%Y-%m-%dT%H:%M:%SZ)"${shellQuote(after)}`,
  ].join("\n");
}
