"""Which account a request's access key belongs to. moto answers it for every request by scanning every account's
IAM backend in every partition (moto/iam/models.py, get_account_id_from): the cost of each call grows with the
number of accounts — ~95 ms a call at 10,000 accounts, where AWS's does not grow with the Organization. This keeps
an index from access key to account, filled and emptied exactly where moto stores and deletes a key, and answers
from it: the same account moto's scan finds (or moto's default account for a key no backend holds)."""

from __future__ import annotations

from typing import Any

from moto.iam import models

_account_of_key: dict[str, str] = {}


class _IndexedAccessKeys(dict):
    """An IAM backend's access keys (moto writes them only with `[key] = ...` and `del`), mirrored in the index."""

    def __init__(self, account_id: str, keys: dict[str, Any]) -> None:
        super().__init__()
        self._account_id = account_id
        for name, key in keys.items():
            self[name] = key

    def __setitem__(self, name: str, key: Any) -> None:
        super().__setitem__(name, key)
        _account_of_key[name] = self._account_id

    def __delitem__(self, name: str) -> None:
        super().__delitem__(name)
        _account_of_key.pop(name, None)


def install() -> None:
    original_init = models.IAMBackend.__init__

    def init_with_index(self: Any, region_name: str, account_id: str) -> None:
        original_init(self, region_name, account_id)
        self.access_keys = _IndexedAccessKeys(account_id, self.access_keys)

    def account_id_from(access_key: str) -> str:
        account_id = _account_of_key.get(access_key)
        # Checked against the backend, as moto's scan would: a reset (moto-api/reset) replaces backends without
        # deleting their keys one by one, so the index may name a key that no backend holds any more.
        if account_id is not None and account_id in models.iam_backends:
            account = models.iam_backends[account_id]
            for partition in models.PARTITION_NAMES:
                if access_key in account[partition].access_keys:
                    return account_id
        return models.DEFAULT_ACCOUNT_ID

    models.IAMBackend.__init__ = init_with_index
    models.get_account_id_from = account_id_from
