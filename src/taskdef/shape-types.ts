// The vocabulary of the generated shape table (shape.generated.ts), shared by its generator and the validator.

/** What a member holds: a simple value, one of an enum's strings, a list or map of shapes, or a structure. */
export type MemberShape =
  | 'string'
  | 'integer'
  | 'boolean'
  | { enum: string[] }
  | { list: MemberShape }
  | { map: MemberShape }
  | { structure: string };

export interface StructureShape {
  members: Record<string, MemberShape>;
  /** Members the SDK's model marks required. */
  required: string[];
  /** A union: exactly one member is set. */
  union?: true;
}
