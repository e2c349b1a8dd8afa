/** Saved labeling rules: list, apply (to every capture, or to new ones), save, delete. */
import { useState } from 'react';
import type { LabelRule } from '../../../shared/label-types';
import { useClient } from '../api/api-context';
import { errorMessage } from '../common/use-async';

interface Props {
  rules: LabelRule[] | undefined;
  onChanged: () => void;
}

export function RulesPanel({ rules, onChanged }: Props) {
  const { api } = useClient();
  const [draft, setDraft] = useState({
    name: '',
    label: 'malicious',
    expression: '',
    from: '',
    to: '',
    hosts: '',
  });
  const [status, setStatus] = useState<{ text: string; error?: boolean } | undefined>(undefined);

  const attempt = async (work: () => Promise<string>): Promise<void> => {
    try {
      setStatus({ text: await work() });
      onChanged();
    } catch (error) {
      setStatus({ text: errorMessage(error), error: true });
    }
  };
  const save = () =>
    attempt(async () => {
      const rule = await api.labelsSaveRule({
        name: draft.name,
        label: draft.label,
        expression: draft.expression,
        timeRange: draft.from && draft.to ? { from: draft.from, to: draft.to } : null,
        hosts: draft.hosts
          .split(',')
          .map((host) => host.trim())
          .filter(Boolean),
      });
      return `Saved rule ${rule.name}`;
    });
  const apply = (rule: LabelRule) =>
    attempt(async () => {
      const result = await api.labelsApplyRule({ ruleId: rule.ruleId });
      return `Rule ${rule.name}: ${result.flows} flows, ${result.conflicts} in conflict`;
    });
  const remove = (rule: LabelRule) =>
    attempt(async () => {
      await api.labelsDeleteRule({ ruleId: rule.ruleId });
      return `Deleted rule ${rule.name}`;
    });
  const field = (name: keyof typeof draft, label: string, size = 12) => (
    <input
      aria-label={label}
      placeholder={label}
      value={draft[name]}
      size={size}
      onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
    />
  );

  return (
    <section className="labels-panel">
      <h3>Rules</h3>
      <table className="simple-table">
        <thead>
          <tr>
            <th>name</th>
            <th>class</th>
            <th>filter</th>
            <th>last applied</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(rules ?? []).map((rule) => (
            <tr key={rule.ruleId}>
              <td>{rule.name}</td>
              <td>{rule.label}</td>
              <td className="mono">
                {[
                  rule.expression || 'all flows',
                  rule.timeRange ? `${rule.timeRange.from}..${rule.timeRange.to}` : '',
                  rule.hosts.join(','),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </td>
              <td>{rule.lastAppliedAt ?? 'never'}</td>
              <td>
                <button type="button" onClick={() => void apply(rule)}>
                  Apply
                </button>{' '}
                <button type="button" onClick={() => void remove(rule)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-row">
        {field('name', 'rule name')}
        {field('label', 'class', 10)}
        {field('expression', 'filter expression', 28)}
        {field('from', 'from (ISO)', 18)}
        {field('to', 'to (ISO)', 18)}
        {field('hosts', 'hosts a,b', 16)}
        <button type="button" disabled={!draft.name || !draft.label} onClick={() => void save()}>
          Save rule
        </button>
      </div>
      {status && <p className={status.error ? 'error-text' : 'muted'}>{status.text}</p>}
    </section>
  );
}
