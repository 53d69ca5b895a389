/** Check mode's vocabulary. */
/** One difference between what is live and what was declared: drift. */
export interface Finding {
  resource: string;
  target: string;
  message: string;
}
