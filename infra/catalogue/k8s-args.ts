/**
 * Builders return `kubernetes-models` objects: plain JSON, typed by and
 * validated against the Kubernetes OpenAPI schema. Pulumi's args types differ
 * only in spelling (a quantity is `string` there, `string | number` in the
 * models), so this is the one place where a model becomes resource args.
 */
export function asArgs<Args>(model: object): Args {
  return model as Args;
}
