/** Teleport resources as tctl prints and takes them: the discovery_config and the join token. */

export interface InstallParams {
  enroll_mode?: number | string;
  install_teleport?: boolean;
  join_method?: string;
  join_token?: string;
  script_name?: string;
  suffix?: string;
  [field: string]: unknown;
}

export interface AwsMatcherResource {
  types: string[];
  regions: string[];
  /** One value prints as a string, several as a list. */
  tags: Record<string, string | string[]>;
  integration?: string;
  install?: InstallParams;
  ssm?: { document_name?: string };
  setup_access_for_arn?: string;
  kube_app_discovery?: boolean;
  assume_role?: { role_arn?: string; external_id?: string; role_name?: string } | null;
  organization?: OrganizationMatcher | null;
  [field: string]: unknown;
}

export interface DiscoveredCounts {
  found?: number;
  enrolled?: number;
  failed?: number;
}

export interface DiscoveryConfigStatus {
  state?: string;
  error_message?: string;
  discovered_resources?: number;
  last_sync_time?: string;
  integration_discovered_resources?: Record<string, Record<string, DiscoveredCounts>>;
  [field: string]: unknown;
}

export interface DiscoveryConfigResource {
  kind: 'discovery_config';
  /** 'synthetic' for the read-only copy a Discovery Service publishes of its static configuration. */
  sub_kind?: string;
  version: 'v1';
  metadata: { name: string; description?: string; labels?: Record<string, string>; revision?: string };
  spec: { discovery_group: string; aws?: AwsMatcherResource[]; access_graph?: { aws?: { integration?: string }[] }; [field: string]: unknown };
  status?: DiscoveryConfigStatus;
}

/** Which units of an organization a matcher or a token rule covers. */
export interface OrganizationalUnits {
  include?: string[];
  exclude?: string[];
}

export interface OrganizationMatcher {
  organization_id?: string;
  organizational_units?: OrganizationalUnits;
}

export interface TokenAllowRule {
  aws_account?: string;
  aws_arn?: string;
  aws_role?: string;
  aws_regions?: string[];
  aws_organization_id?: string;
  aws_organizational_units?: OrganizationalUnits;
  [field: string]: unknown;
}

export interface JoinTokenResource {
  kind: 'token';
  version: 'v2';
  metadata: { name: string; description?: string; labels?: Record<string, string>; expires?: string; revision?: string };
  spec: { roles: string[]; join_method: string; allow?: TokenAllowRule[]; [field: string]: unknown };
}

/** An app server as tctl prints it (kind app_server, v3): AWS console access through an integration names it in its app. */
export interface AppServerResource {
  kind: 'app_server';
  version: string;
  metadata: { name: string; [field: string]: unknown };
  spec: {
    hostname?: string;
    app?: { metadata?: { name?: string }; spec?: { uri?: string; public_addr?: string; integration?: string; [field: string]: unknown } };
    [field: string]: unknown;
  };
}
