/** Job annotations, capped the way GitHub shows them. */

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  title: string;
  message: string;
}

/** GitHub shows at most 10 annotations of each kind per step and drops the rest silently. */
export const ANNOTATIONS_PER_KIND = 10;
const MAX_MESSAGE = 4096;

/**
 * Keeps at most 10 per kind; when there are more, the 10th says how many more there are and
 * points to the job summary, so nothing disappears without a word.
 */
export function capAnnotations(annotations: Annotation[]): Annotation[] {
  const out: Annotation[] = [];
  for (const level of ['error', 'warning', 'notice'] as const) {
    const ofKind = annotations.filter((a) => a.level === level);
    if (ofKind.length <= ANNOTATIONS_PER_KIND) {
      out.push(...ofKind);
      continue;
    }
    const hidden = ofKind.length - (ANNOTATIONS_PER_KIND - 1);
    out.push(...ofKind.slice(0, ANNOTATIONS_PER_KIND - 1), {
      level,
      title: `${hidden} more ${level === 'notice' ? 'notices' : `${level}s`}`,
      message: `${hidden} more ${level} annotations are not shown (GitHub shows 10 per kind): see the job summary for all of them.`,
    });
  }
  return out.map((a) => ({ ...a, message: a.message.length > MAX_MESSAGE ? `${a.message.slice(0, MAX_MESSAGE - 1)}…` : a.message }));
}
