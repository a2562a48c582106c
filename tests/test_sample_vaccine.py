"""The sample city's vaccine deliveries (sample_data.generate.vaccine_deliveries) and its
planted shortage (plant_vaccine_shortage) as plain functions over made-up daily doses:
deliveries always cover the doses given; the shortage breaks that on its days only, and
the depot's books still balance."""

from __future__ import annotations

import numpy as np
import pytest

from sample_data.generate import VACCINE_CARTON, VACCINE_SAFETY_DAYS, plant_vaccine_shortage, vaccine_deliveries


def doses_given(seed: int, days: int) -> np.ndarray:
    """Daily doses of a district: routine use, a campaign, quiet weekends, a day with none."""
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    rate = 300 + 2_500 * np.exp(-(((t - days * 0.3) / 6) ** 2)) + 900 * np.exp(-(((t - days * 0.6) / 9) ** 2))
    given = rng.poisson(rate * np.where(t % 7 >= 5, 0.8, 1.0))
    given[days // 2] = 0
    return given


CASES = [
    (seed, days, interval, phase)
    for seed, days in ((1, 21), (2, 120), (3, 365))
    for interval in (3, 4, 5)
    for phase in range(interval)
]


@pytest.mark.parametrize(("seed", "days", "interval", "phase"), CASES)
def test_deliveries_cover_the_doses_given_with_a_working_stock(seed, days, interval, phase):
    given = doses_given(seed, days)
    opening, inbound = vaccine_deliveries(given, interval, phase, np.random.default_rng(seed))
    stock = opening + np.cumsum(inbound) - np.cumsum(given)
    assert (stock >= 0).all()
    assert opening % VACCINE_CARTON == 0 and (inbound % VACCINE_CARTON == 0).all() and (inbound >= 0).all()
    delivery_days = np.flatnonzero(inbound)
    assert set(delivery_days) <= set(range(phase, days, interval))
    # Before each batch the depot still holds the planned use of the working-stock days.
    for day in delivery_days:
        if day + VACCINE_SAFETY_DAYS <= days:
            before = stock[day - 1] if day else opening
            assert before >= given[day : day + VACCINE_SAFETY_DAYS].sum()


@pytest.mark.parametrize(("seed", "days", "interval", "phase"), CASES)
def test_the_planted_shortage_shows_on_its_days_only_and_the_books_balance(seed, days, interval, phase):
    given = doses_given(seed, days)
    clean_opening, clean_inbound = vaccine_deliveries(given, interval, phase, np.random.default_rng(seed))
    start, length = days - 5, 3
    opening, inbound, outbound = plant_vaccine_shortage(clean_opening, clean_inbound, given, start, length)
    delivered = opening + np.cumsum(inbound)
    used = np.cumsum(given)
    over = np.flatnonzero(used > delivered)
    assert list(over) == list(range(start, start + length))
    # The books: nothing negative, the depot empty through the shortage, and from the
    # booking day on exactly as without it.
    closing = opening + np.cumsum(inbound) - np.cumsum(outbound)
    assert (inbound >= 0).all() and (outbound >= 0).all() and (closing >= 0).all()
    assert (closing[start - 1 : start + length] == 0).all()
    clean_closing = clean_opening + np.cumsum(clean_inbound) - used
    assert (closing[start + length :] == clean_closing[start + length :]).all()
    assert (inbound[start + length + 1 :] == clean_inbound[start + length + 1 :]).all()
    assert outbound.sum() == given.sum()
    # Before the shortage only deliveries are cut, never added.
    assert opening <= clean_opening and (inbound[:start] <= clean_inbound[:start]).all()
