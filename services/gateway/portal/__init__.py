"""The reference portal (Cổng Dịch vụ công Sở Y tế): the dossier status management screens, in Vietnamese.

Server-rendered pages served by the gateway at `/`, built on the public `/v1` API exactly as any portal
frontend is (see adapters/public_api.py); plain HTML forms, with a little vendored JavaScript for
enhancement only. `bootstrap.mount_portal` adds it to the gateway app.
"""
