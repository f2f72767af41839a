/**
 * Tables of the Kakao-compatible user API: custom app user properties set with
 * `POST /v1/user/update_profile` (Kakao REST API "Store user information") and returned in `/v2/user/me`
 * `properties`. Kept per connection: an unlink ends the connection and with it what the app stored.
 */

export interface ConnectionPropertiesTable {
  connection_id: string;
  /** the app's property key, e.g. `membership_level` */
  key: string;
  value: string;
  updated_at: number;
}

export interface KakaoTables {
  connection_properties: ConnectionPropertiesTable;
}
