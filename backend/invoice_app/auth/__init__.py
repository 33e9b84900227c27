"""Sign-in and roles: Cognito tokens verified by the function itself, roles from `cognito:groups`.

`tokens.py` verifies a token (PyJWT + the pool's JWKS), `roles.py` orders the roles, `http.py`
guards every HTTP route, `authorizer.py` answers the WebSocket `$connect` authorizer event.
"""
