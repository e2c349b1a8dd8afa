/**
 * Opening captures by path (browser mode: a browser cannot hand out file paths). One or more
 * absolute paths on the server's machine; calls ingestStart.
 */
import { useState } from 'react';
import { useClient } from '../api/api-context';
import { errorMessage } from '../common/use-async';
import { useDataVersion } from '../shell/live-data-context';
import { parsePaths } from './capture-rows';

export function OpenPathsForm() {
  const { api } = useClient();
  const { bump } = useDataVersion();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | undefined>(undefined);

  const submit = async (): Promise<void> => {
    const paths = parsePaths(text);
    if (!paths.length) return;
    setBusy(true);
    setMessage(undefined);
    // ingestStart resolves when the ingest ends; progress events show it meanwhile.
    const started = setTimeout(bump, 500);
    try {
      const results = await api.ingestStart({ paths });
      const again = results.filter((result) => result.alreadyPresent).map((result) => result.capture.fileName);
      setMessage({ error: false, text: `Opened ${results.length} capture(s)${again.length ? `; already in the case: ${again.join(', ')}` : ''}` });
      setText('');
    } catch (error) {
      setMessage({ error: true, text: errorMessage(error) });
    } finally {
      clearTimeout(started);
      setBusy(false);
      bump();
    }
  };

  return (
    <form
      className="open-paths"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label htmlFor="capture-paths">Open captures (absolute paths on this machine, one per line)</label>
      <div className="row gap">
        <textarea
          id="capture-paths"
          rows={2}
          spellCheck={false}
          placeholder="/data/captures/day1.pcapng"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit();
          }}
        />
        <button type="submit" disabled={busy || !text.trim()}>
          {busy ? 'Ingesting…' : 'Open'}
        </button>
      </div>
      {message && <div className={message.error ? 'error-text' : 'muted'}>{message.text}</div>}
    </form>
  );
}
