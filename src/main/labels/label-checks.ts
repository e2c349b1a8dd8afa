/** Checks on labeling request fields (they arrive from outside: IPC, HTTP, CLI, CSV files). */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { CLASS_NAME_PATTERN, LABEL_SOURCES } from '../../shared/label-types';
import type { LabelSource } from '../../shared/label-types';

/** Most tags on one act, and the longest tag and reason. */
const MAX_TAGS = 32;
const MAX_TAG_LENGTH = 64;
const MAX_REASON_LENGTH = 2000;

/** A class name: trimmed, lower-cased, matching CLASS_NAME_PATTERN (`C2-Beacon` → `c2-beacon`). */
export function className(value: unknown, name = 'label'): string {
  const normalized = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (typeof normalized !== 'string' || !CLASS_NAME_PATTERN.test(normalized)) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected ${name} to be a class name (letters, digits, '.', '_', '-'; at most 64), found ${JSON.stringify(value)?.slice(0, 60)}`,
    );
  }
  return normalized;
}

/** Tags: trimmed non-empty strings without duplicates (absent → []). */
export function tagList(value: unknown, name = 'tags'): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > MAX_TAGS) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected ${name} to be a list of at most ${MAX_TAGS} strings, found ${JSON.stringify(value)?.slice(0, 60)}`,
    );
  }
  const tags = new Set<string>();
  for (const tag of value) {
    const trimmed = typeof tag === 'string' ? tag.trim() : '';
    if (!trimmed || trimmed.length > MAX_TAG_LENGTH) {
      throw new FlowlabError(
        ErrorCode.invalidArgument,
        `Expected each tag to be a non-empty string of at most ${MAX_TAG_LENGTH} characters, found ${JSON.stringify(tag)?.slice(0, 60)}`,
      );
    }
    tags.add(trimmed);
  }
  return [...tags];
}

export function labelSource(value: unknown, fallback?: LabelSource): LabelSource {
  if ((value === undefined || value === null) && fallback) return fallback;
  if (typeof value !== 'string' || !(LABEL_SOURCES as readonly string[]).includes(value)) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected source to be one of ${LABEL_SOURCES.join(', ')}, found ${JSON.stringify(value)?.slice(0, 40)}`,
    );
  }
  return value as LabelSource;
}

/** Free-text reason (absent or blank → null). */
export function reasonText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > MAX_REASON_LENGTH) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected reason to be text of at most ${MAX_REASON_LENGTH} characters, found ${JSON.stringify(value)?.slice(0, 60)}`,
    );
  }
  return value.trim() || null;
}
