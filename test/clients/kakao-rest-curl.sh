#!/usr/bin/env bash
# The curl calls of Kakao's REST API reference (Kakao Login: "Get tokens", "Refresh tokens",
# "Retrieve user information", "Retrieve token information", "Retrieve consent details",
# "Revoke consent", "Logout", "Unlink"; User management: "Retrieve user list"), one step each,
# exactly as the reference writes them. Pointed at Kakao by default; the only change to run them
# against yeon is the base URLs:
#
#   KAUTH=http://127.0.0.1:8080 KAPI=http://127.0.0.1:8080 kakao-rest-curl.sh me
#
# Usage: kakao-rest-curl.sh STEP — prints the response body, then a last line with the HTTP status.
# Variables, as the reference names them: REST_API_KEY, CLIENT_SECRET (only when the app's client
# secret is on), REDIRECT_URI, AUTHORIZE_CODE, REFRESH_TOKEN, ACCESS_TOKEN, SERVICE_APP_ADMIN_KEY,
# USER_ID.
set -euo pipefail

KAUTH="${KAUTH:-https://kauth.kakao.com}"
KAPI="${KAPI:-https://kapi.kakao.com}"

# -sS instead of the reference's -v, and the status on a line of its own, so a program can read
# the answer; the request itself is the reference's.
kcurl() { curl -sS -w '\n%{http_code}\n' "$@"; }

secret_args=()
if [ -n "${CLIENT_SECRET:-}" ]; then secret_args=(-d "client_secret=${CLIENT_SECRET}"); fi

step="${1:-}"
case "$step" in
  token) # Get tokens (grant_type=authorization_code)
    kcurl -X POST "${KAUTH}/oauth/token" \
      -H "Content-Type: application/x-www-form-urlencoded;charset=utf-8" \
      -d "grant_type=authorization_code" \
      -d "client_id=${REST_API_KEY}" \
      --data-urlencode "redirect_uri=${REDIRECT_URI}" \
      -d "code=${AUTHORIZE_CODE}" \
      ${secret_args[@]+"${secret_args[@]}"}
    ;;
  refresh) # Refresh tokens (grant_type=refresh_token)
    kcurl -X POST "${KAUTH}/oauth/token" \
      -H "Content-Type: application/x-www-form-urlencoded;charset=utf-8" \
      -d "grant_type=refresh_token" \
      -d "client_id=${REST_API_KEY}" \
      -d "refresh_token=${REFRESH_TOKEN}" \
      ${secret_args[@]+"${secret_args[@]}"}
    ;;
  me) # Retrieve user information: GET
    kcurl -X GET "${KAPI}/v2/user/me" \
      -H "Authorization: Bearer ${ACCESS_TOKEN}"
    ;;
  me-post) # Retrieve user information: POST, form content type
    kcurl -X POST "${KAPI}/v2/user/me" \
      -H "Authorization: Bearer ${ACCESS_TOKEN}" \
      -H "Content-type: application/x-www-form-urlencoded;charset=utf-8"
    ;;
  me-email) # Retrieve user information: GET with property_keys
    kcurl -G "${KAPI}/v2/user/me" \
      -H "Authorization: Bearer ${ACCESS_TOKEN}" \
      --data-urlencode 'property_keys=["kakao_account.email"]'
    ;;
  me-post-email) # Retrieve user information: POST with property_keys
    kcurl -X POST "${KAPI}/v2/user/me" \
      -H "Authorization: Bearer ${ACCESS_TOKEN}" \
      -H "Content-type: application/x-www-form-urlencoded;charset=utf-8" \
      --data-urlencode 'property_keys=["kakao_account.email"]'
    ;;
  token-info) # Retrieve token information
    kcurl -X GET "${KAPI}/v1/user/access_token_info" \
      -H "Authorization: Bearer ${ACCESS_TOKEN}"
    ;;
  scopes) # Retrieve consent details
    kcurl -X GET "${KAPI}/v2/user/scopes" \
      -H "Authorization: Bearer ${ACCESS_TOKEN}"
    ;;
  revoke-scopes) # Revoke consent
    kcurl -X POST "${KAPI}/v2/user/revoke/scopes" \
      -H "Content-type: application/x-www-form-urlencoded;charset=utf-8" \
      -H "Authorization: Bearer ${ACCESS_TOKEN}" \
      --data-urlencode 'scopes=["account_email"]'
    ;;
  logout) # Logout
    kcurl -X POST "${KAPI}/v1/user/logout" \
      -H "Authorization: Bearer ${ACCESS_TOKEN}"
    ;;
  unlink) # Unlink, with the access token
    kcurl -X POST "${KAPI}/v1/user/unlink" \
      -H "Authorization: Bearer ${ACCESS_TOKEN}"
    ;;
  unlink-admin) # Unlink, with the service app admin key and the user's ID
    kcurl -X POST "${KAPI}/v1/user/unlink" \
      -H "Content-type: application/x-www-form-urlencoded;charset=utf-8" \
      -H "Authorization: KakaoAK ${SERVICE_APP_ADMIN_KEY}" \
      -d "target_id_type=user_id" \
      --data-urlencode "target_id=${USER_ID}"
    ;;
  ids) # Retrieve user list (admin key)
    kcurl -X GET "${KAPI}/v1/user/ids" \
      -H "Authorization: KakaoAK ${SERVICE_APP_ADMIN_KEY}"
    ;;
  *)
    echo "usage: $0 token|refresh|me|me-post|me-email|me-post-email|token-info|scopes|revoke-scopes|logout|unlink|unlink-admin|ids" >&2
    exit 2
    ;;
esac
