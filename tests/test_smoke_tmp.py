def test_load(engine):
    from data_access.checkpoints import checkpoint_daily_totals
    from tests.helpers import scope
    print(checkpoint_daily_totals(scope("990100"), engine))
