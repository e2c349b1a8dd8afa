/**
 * The imperative echarts wrapper: creates the chart once the element has a size (views may be
 * hidden), resizes with it, replaces the option on change and forwards chart events.
 */
import { useEffect, useRef, useState } from 'react';
import type { ECharts } from 'echarts/core';
import type { ChartOption } from './chart-types';
import { init } from './echarts-setup';

export type ChartEventHandler = (params: unknown, chart: ECharts) => void;

interface Props {
  option: ChartOption;
  /** echarts event name → handler (e.g. 'click', 'brushEnd'). */
  events?: Record<string, ChartEventHandler>;
  /** Runs after each setOption (e.g. to re-arm the brush cursor). */
  afterSetOption?: (chart: ECharts) => void;
  label: string;
  className?: string;
}

export function EChart({ option, events = {}, afterSetOption, label, className }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const chartRef = useRef<ECharts | undefined>(undefined);
  const [ready, setReady] = useState(false);
  const handlers = useRef(events);
  const after = useRef(afterSetOption);
  useEffect(() => {
    handlers.current = events;
    after.current = afterSetOption;
  });

  useEffect(() => {
    const element = host.current!;
    const observer = new ResizeObserver(() => {
      if (element.clientWidth === 0 || element.clientHeight === 0) return;
      if (chartRef.current) chartRef.current.resize();
      else {
        chartRef.current = init(element, undefined, { renderer: 'canvas' });
        setReady(true);
      }
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chartRef.current?.dispose();
      chartRef.current = undefined;
      setReady(false);
    };
  }, []);

  useEffect(() => {
    const chart = chartRef.current;
    if (!ready || !chart) return;
    chart.setOption(option, { notMerge: true });
    after.current?.(chart);
  }, [ready, option]);

  const eventNames = Object.keys(events).sort().join(',');
  useEffect(() => {
    const chart = chartRef.current;
    if (!ready || !chart || !eventNames) return;
    const names = eventNames.split(',');
    const bound = names.map((name) => {
      const handler = (params: unknown): void => handlers.current[name]?.(params, chart);
      chart.on(name, handler);
      return [name, handler] as const;
    });
    return () => bound.forEach(([name, handler]) => chart.off(name, handler));
  }, [ready, eventNames]);

  return <div ref={host} className={className ?? 'echart'} role="img" aria-label={label} />;
}
