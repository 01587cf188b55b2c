/** Folder or file, drawn (emoji depend on the system's fonts); decorative: the row's text names the item. */
export function ItemIcon({ isFolder }: { isFolder: boolean }) {
  return (
    <svg class="item-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      {isFolder ? (
        <path d="M1.5 3.5h4l1.5 1.5h7.5v8h-13z" fill="currentColor" fill-opacity="0.25" stroke="currentColor" />
      ) : (
        <path d="M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3" fill="none" stroke="currentColor" />
      )}
    </svg>
  );
}
