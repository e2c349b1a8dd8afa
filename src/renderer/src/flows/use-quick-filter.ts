/**
 * The quick-filter box: the text as typed, checked by flowsValidateFilter as the user types
 * (debounced); only a valid expression is applied to the shared filter, on Enter.
 */
import { useEffect, useState } from 'react';
import { useClient } from '../api/api-context';
import { errorMessage } from '../common/use-async';
import { useFlowFilter } from '../filter/filter-context';

const VALIDATE_DELAY_MS = 200;

export type Validation = { state: 'empty' | 'checking' | 'valid' } | { state: 'invalid'; error: string };

export function useQuickFilter() {
  const { api } = useClient();
  const { filter, dispatch } = useFlowFilter();
  const applied = filter.expression ?? '';
  const [text, setText] = useState(applied);
  const [validation, setValidation] = useState<Validation>({ state: applied ? 'valid' : 'empty' });

  // A chip removed (or cleared) elsewhere resets the box.
  useEffect(() => {
    setText(applied);
  }, [applied]);

  useEffect(() => {
    const expression = text.trim();
    if (!expression) {
      setValidation({ state: 'empty' });
      return;
    }
    setValidation({ state: 'checking' });
    let current = true;
    const timer = setTimeout(() => {
      api.flowsValidateFilter({ expression }).then(
        (result) => {
          if (!current) return;
          setValidation(result.ok ? { state: 'valid' } : { state: 'invalid', error: result.error ?? 'Invalid expression' });
        },
        (error: unknown) => current && setValidation({ state: 'invalid', error: errorMessage(error) }),
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, text]);

  /** Applies the text when valid (validating now if the debounce has not run yet). */
  const apply = async (): Promise<boolean> => {
    const expression = text.trim();
    if (!expression) {
      dispatch({ type: 'setExpression', expression: undefined });
      return true;
    }
    const result = await api.flowsValidateFilter({ expression }).catch((error: unknown) => ({ ok: false, error: errorMessage(error) }));
    if (!result.ok) {
      setValidation({ state: 'invalid', error: result.error ?? 'Invalid expression' });
      return false;
    }
    setValidation({ state: 'valid' });
    dispatch({ type: 'setExpression', expression });
    return true;
  };

  return { text, setText, validation, apply, applied, dirty: text.trim() !== applied };
}
