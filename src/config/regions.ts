/** AWS region names, and the partition each belongs to. */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function partitionOfRegion(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}
