// Files the console hands to the user (CSV for a meeting or an inspection report, GraphML,
// FollowTheMoney): made in the page from what the API answered, nothing sent anywhere.

// One CSV cell (RFC 4180 quoting). A text that a spreadsheet would read as a formula (=, +, -, @,
// tab or carriage return first) is prefixed with an apostrophe, so that a name or a
// justification cannot run in the inspector's spreadsheet.
export function csvCell(value: unknown): string {
  if (typeof value === "number") return String(value);
  let text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// Saves `text` as the file `name`.
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
