from custpool import EXAMPLE_START, Pool, example_pool


def test_example_pool_is_valid_consistent_and_stable():
    pool = example_pool()
    assert pool == example_pool()  # the same on every call
    assert pool.check_references() == ()
    assert Pool.from_json(pool.to_json(reveal_secrets=True)) == pool
    assert min(i.at for i in pool.interactions) < EXAMPLE_START  # c-004 bought before connecting
    kinds = {i.kind.value for i in pool.interactions}
    assert {"connect", "purchase", "refund", "referral", "churn", "complaint", "nps"} <= kinds
