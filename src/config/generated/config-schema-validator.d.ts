/** Ajv's standalone validator of schema/config.schema.json (generated next to this file). */
export interface SchemaError {
  /** JSON Pointer to the value, e.g. /integrations/0/account-id. */
  instancePath: string;
  /** JSON Pointer into the schema, e.g. #/$defs/entry/additionalProperties. */
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

export interface ValidateFunction {
  (data: unknown): boolean;
  errors: SchemaError[] | null;
}

export declare const validate: ValidateFunction;
export default validate;
