/** Quick filter expression input with inline validation (`/` focuses it from anywhere). */
import { useEffect, useRef } from 'react';
import { useQuickFilter } from './use-quick-filter';

export function QuickFilterBox() {
  const { text, setText, validation, apply, dirty } = useQuickFilter();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const focus = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
      if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        input.current?.focus();
      }
    };
    document.addEventListener('keydown', focus);
    return () => document.removeEventListener('keydown', focus);
  }, []);

  const invalid = validation.state === 'invalid';
  return (
    <div className="quick-filter">
      <input
        ref={input}
        type="text"
        spellCheck={false}
        className={invalid ? 'invalid' : undefined}
        aria-label="Quick filter expression"
        aria-invalid={invalid}
        aria-describedby="quick-filter-status"
        placeholder="Quick filter, e.g. dst_port = 443 and src2dst_packets > 10   ( / to focus, Enter to apply )"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') void apply();
          if (event.key === 'Escape') setText('');
        }}
      />
      <button type="button" onClick={() => void apply()} disabled={invalid || !dirty}>
        Apply
      </button>
      <span id="quick-filter-status" className={`quick-filter-status ${validation.state}`} role="status" data-testid="quick-filter-status">
        {validation.state === 'invalid' ? validation.error : validation.state === 'valid' && dirty ? 'valid: press Enter' : ''}
      </span>
    </div>
  );
}
