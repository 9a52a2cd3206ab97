// Key combinations the browser or the host system keeps for itself, sent from a menu.
export const KEY_COMBOS: { label: string; keys: string }[] = [
  ...Array.from({ length: 12 }, (_, i) => ({ label: `Ctrl+Alt+F${i + 1}`, keys: `ControlLeft+AltLeft+F${i + 1}` })),
  { label: "Ctrl+Alt+Backspace", keys: "ControlLeft+AltLeft+Backspace" },
  { label: "Ctrl+W", keys: "ControlLeft+KeyW" },
  { label: "Ctrl+T", keys: "ControlLeft+KeyT" },
  { label: "Ctrl+N", keys: "ControlLeft+KeyN" },
  { label: "Ctrl+Q", keys: "ControlLeft+KeyQ" },
  { label: "Alt+Tab", keys: "AltLeft+Tab" },
  { label: "Alt+F4", keys: "AltLeft+F4" },
  { label: "Alt+SysRq (PrintScreen)", keys: "AltLeft+PrintScreen" },
  { label: "Windows key", keys: "MetaLeft" },
  { label: "Escape", keys: "Escape" },
];
