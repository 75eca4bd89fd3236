"use client";

import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { cx } from "./cx";
import { useFieldControl } from "./field-context";

export type ComboboxOption = {
  value: string;
  /** What the input shows once picked, and the option's first line. */
  label: string;
  /** A second, muted line: stage or status, date, size. */
  detail?: ReactNode;
  disabled?: boolean;
};

type ComboboxProps = {
  /** The picked value; "" for none. */
  value: string;
  onChange: (value: string, option: ComboboxOption | null) => void;
  /** What the parent found for the text typed so far (it searches, usually on the server). */
  options: readonly ComboboxOption[];
  /** Called with the text as it is typed; "" when the list opens afresh. */
  onSearch: (text: string) => void;
  /** The picked value's label when `options` (the current search's) does not hold it. */
  selectedLabel?: string;
  loading?: boolean;
  placeholder?: string;
  /** Shown in the list when a search finds nothing. */
  emptyText?: string;
  /** Offers a button that clears the choice. */
  clearable?: boolean;
  disabled?: boolean;
  name?: string;
  className?: string;
  "aria-label"?: string;
};

/**
 * A searchable picker (the WAI-ARIA 1.2 combobox pattern): an input whose text searches, and a
 * listbox of what was found. Arrow keys move through the options, Enter picks, Escape closes and
 * restores the picked label; the input shows the picked option's label whenever it is not being
 * typed in. Inside a Field it takes the field's id, description and invalid state.
 */
export function Combobox({
  value,
  onChange,
  options,
  onSearch,
  selectedLabel,
  loading = false,
  placeholder,
  emptyText = "Nothing found",
  clearable = false,
  disabled,
  name,
  className,
  "aria-label": ariaLabel,
}: ComboboxProps) {
  const field = useFieldControl();
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  /** The text typed since the list opened; null when not typing (the input shows the pick). */
  const [text, setText] = useState<string | null>(null);
  const [active, setActive] = useState(-1);
  const [picked, setPicked] = useState<ComboboxOption | null>(null);

  const pickedLabel =
    options.find((o) => o.value === value)?.label ??
    (picked?.value === value ? picked.label : undefined) ??
    selectedLabel ??
    "";
  const enabled = options.map((o, i) => (o.disabled ? -1 : i)).filter((i) => i >= 0);
  const activeIndex = open && enabled.includes(active) ? active : -1;
  const optionId = (i: number) => `${listId}-option-${i}`;

  function show(nextText: string | null) {
    setOpen(true);
    setText(nextText);
    setActive(enabled[0] ?? -1);
    onSearch(nextText ?? "");
  }

  function close() {
    setOpen(false);
    setText(null);
    setActive(-1);
  }

  function pick(option: ComboboxOption) {
    if (option.disabled) return;
    setPicked(option);
    onChange(option.value, option);
    close();
  }

  function move(step: 1 | -1) {
    if (!open) {
      show(text);
      return;
    }
    if (enabled.length === 0) return;
    const at = enabled.indexOf(activeIndex);
    const next =
      at === -1
        ? step === 1
          ? 0
          : enabled.length - 1
        : (at + step + enabled.length) % enabled.length;
    setActive(enabled[next]!);
    document.getElementById(optionId(enabled[next]!))?.scrollIntoView({ block: "nearest" });
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      move(1);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      move(-1);
    } else if (e.key === "Enter" && open) {
      // Picking must not submit the form the picker is in.
      e.preventDefault();
      // Typing then Enter picks the best match, the list's first.
      const option = options[activeIndex >= 0 ? activeIndex : (enabled[0] ?? -1)];
      if (option) pick(option);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      close();
    }
  }

  return (
    <div className={cx("combobox", className)}>
      <div className="combobox-control">
        <input
          ref={inputRef}
          type="text"
          role="combobox"
          className="input"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
          aria-label={ariaLabel}
          {...field}
          name={name}
          placeholder={placeholder}
          disabled={disabled}
          value={text ?? pickedLabel}
          onFocus={() => {
            if (!open) show(null);
          }}
          onClick={() => {
            if (!open) show(null);
          }}
          onChange={(e) => show(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          onBlur={close}
        />
        {clearable && value && !disabled && (
          <button
            type="button"
            className="combobox-clear"
            aria-label="Clear the choice"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              setPicked(null);
              onChange("", null);
              close();
              inputRef.current?.focus();
            }}
          >
            ×
          </button>
        )}
      </div>
      <ul
        id={listId}
        role="listbox"
        className="combobox-list"
        hidden={!open}
        aria-label={ariaLabel}
        aria-busy={loading || undefined}
      >
        {open &&
          options.map((o, i) => (
            <li
              key={o.value}
              id={optionId(i)}
              role="option"
              aria-selected={o.value === value}
              aria-disabled={o.disabled || undefined}
              className={cx(
                "combobox-option",
                i === activeIndex && "is-active",
                o.disabled && "is-disabled",
              )}
              // Keeps the focus in the input, so its blur does not close the list first.
              onMouseDown={(e) => e.preventDefault()}
              onMouseMove={() => {
                if (!o.disabled && i !== activeIndex) setActive(i);
              }}
              onClick={() => pick(o)}
            >
              <span className="combobox-option-label">{o.label}</span>
              {o.detail && <span className="combobox-option-detail">{o.detail}</span>}
            </li>
          ))}
        {open && options.length === 0 && (
          <li className="combobox-empty" role="presentation">
            {loading ? "Searching…" : emptyText}
          </li>
        )}
      </ul>
    </div>
  );
}
