// Navigation by the location hash, so any static host serves every screen from index.html.

/** go navigates to a hash route built from parts: go('diary', studentID, monday). */
export function go(...parts: string[]): void {
  location.hash = '#/' + parts.map(encodeURIComponent).join('/');
}
