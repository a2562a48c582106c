"""bench/stock_backtest.py on the small sample city (seed 42): it runs, prints its errors,
and the projection's use forecast beats or equals the naive one (the last day repeated)."""

from __future__ import annotations

from bench import stock_backtest


def test_the_backtest_runs_and_the_damped_trend_beats_the_naive_forecast(sample_database, capsys):
    url, engine = sample_database
    history = stock_backtest.load_history(engine)
    # 6 districts × 9 items (8 supplies and vaccine) over the sample's 120 days
    assert history.use.shape == (54, 120)
    result = stock_backtest.run(history)
    errors = result.use.set_index("method")["error_total"]
    assert set(errors.index) == {"damped_trend", "last_day", "week_mean"}
    assert errors["damped_trend"] <= errors["last_day"]
    assert errors["damped_trend"] <= errors["week_mean"]
    assert 0 < errors["damped_trend"] < 1
    risky = result.at_risk.set_index("method")
    assert risky["error_total"]["damped_trend"] <= risky["error_total"]["last_day"]
    assert (risky["origins"] == result.use["origins"].iloc[0]).all()
    assert set(result.by_item.index) == {"ANTIGEN", "DISINF", "GLOVE", "GOGGLE", "MASK", "N95", "SUIT", "TESTKIT", "VACCINE"}
    assert "per_activity" in set(result.activity["method"])

    assert stock_backtest.main(["--database-url", url]) == 0
    printed = capsys.readouterr().out
    assert "damped_trend" in printed and "beats the naive last_day" in printed
