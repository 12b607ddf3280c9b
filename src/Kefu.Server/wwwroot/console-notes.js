// The note composer's @mentions. While the suggestion list is open, arrows, Enter, Tab and Escape choose from it
// instead of moving the caret or adding a line; the query is what follows the '@' up to the caret. Ctrl+Enter adds
// the note. Loaded as a module by NoteComposer only.
const keys = ['ArrowDown', 'ArrowUp', 'Enter', 'Tab', 'Escape'];

export function attach(textarea, dotnet) {
  const state = { open: false };
  textarea.kefuMentions = state;
  textarea.addEventListener('keydown', e => {
    if (state.open && keys.includes(e.key) && !e.isComposing) {
      e.preventDefault();
      dotnet.invokeMethodAsync('OnMentionKey', e.key);
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      dotnet.invokeMethodAsync('OnSubmitKey');
    }
  });
  textarea.addEventListener('input', () => dotnet.invokeMethodAsync('OnMentionQuery', query(textarea)));
}

export function setOpen(textarea, open) {
  if (textarea && textarea.kefuMentions) {
    textarea.kefuMentions.open = open;
  }
}

// Replaces '@query' before the caret with '@Name ' and returns the new text for the component's state.
export function insert(textarea, name) {
  const caret = textarea.selectionStart;
  const at = textarea.value.slice(0, caret).lastIndexOf('@');
  if (at < 0) {
    return textarea.value;
  }
  textarea.value = textarea.value.slice(0, at) + '@' + name + ' ' + textarea.value.slice(caret);
  const position = at + name.length + 2;
  textarea.setSelectionRange(position, position);
  textarea.focus();
  return textarea.value;
}

function query(textarea) {
  const before = textarea.value.slice(0, textarea.selectionStart);
  const at = before.lastIndexOf('@');
  if (at < 0) {
    return null;
  }
  const previous = at > 0 ? before[at - 1] : ' ';
  if (/[A-Za-z0-9]/.test(previous)) {
    return null; // name@example.com
  }
  const typed = before.slice(at + 1);
  return typed.length > 40 || typed.includes('\n') ? null : typed;
}
