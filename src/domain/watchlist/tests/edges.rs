//! Every factor on and off at its edges, and the window decision.

use super::*;
use crate::domain::survey::Timeframe as Tf;

#[test]
fn every_factor_scores_at_its_edges() {
    use Factor::*;
    let cases: Vec<(&str, Factor, ScoreInput, u32)> = vec![
        ("loan 25% through", FinanceTerm, financed(FinanceType::Loan, 60, 15), 0),
        ("loan 50% through", FinanceTerm, financed(FinanceType::Loan, 60, 30), 10),
        ("loan 75% through", FinanceTerm, financed(FinanceType::Loan, 60, 45), 20),
        (
            "a lease is not a loan",
            FinanceTerm,
            financed(FinanceType::Lease, 60, 45),
            0,
        ),
        (
            "unknown finance type",
            FinanceTerm,
            with(financed(FinanceType::Loan, 60, 45), |i| i.ownership.finance = None),
            0,
        ),
        (
            "12 payments left",
            PaymentsLeft,
            financed(FinanceType::Loan, 60, 48),
            10,
        ),
        ("13 payments left", PaymentsLeft, financed(FinanceType::Loan, 60, 47), 0),
        (
            "lease ends in 6 months",
            LeaseEnd,
            financed(FinanceType::Lease, 36, 30),
            35,
        ),
        ("lease has ended", LeaseEnd, financed(FinanceType::Lease, 36, 37), 35),
        (
            "lease ends in 7 months",
            LeaseEnd,
            financed(FinanceType::Lease, 36, 29),
            21,
        ),
        (
            "lease ends in 13 months",
            LeaseEnd,
            financed(FinanceType::Lease, 36, 23),
            11,
        ),
        (
            "lease ends in 19 months",
            LeaseEnd,
            financed(FinanceType::Lease, 36, 17),
            0,
        ),
        ("cash has no lease", LeaseEnd, financed(FinanceType::Cash, 36, 30), 0),
        (
            "lease 25% over its miles",
            LeaseMileage,
            with(financed(FinanceType::Lease, 36, 24), |i| {
                odometer(i, &[(days_ago(365), 15_000), (as_of(), 30_000)])
            }),
            15,
        ),
        (
            "lease 3% over its miles",
            LeaseMileage,
            with(financed(FinanceType::Lease, 36, 24), |i| {
                odometer(i, &[(days_ago(365), 13_000), (as_of(), 25_000)])
            }),
            8,
        ),
        (
            "lease within its miles",
            LeaseMileage,
            with(financed(FinanceType::Lease, 36, 24), |i| {
                odometer(i, &[(days_ago(365), 10_000), (as_of(), 20_000)])
            }),
            0,
        ),
        (
            "surveyed mileage at the typical rate",
            LeaseMileage,
            with(financed(FinanceType::Lease, 36, 24), |i| {
                i.facts.mileage = Some(Dated {
                    value: 40_000,
                    on: as_of(),
                })
            }),
            15,
        ),
        (
            "no mileage known",
            LeaseMileage,
            financed(FinanceType::Lease, 36, 24),
            0,
        ),
        (
            "model year 2019",
            VehicleAge,
            with(blank(), |i| i.vehicle.model_year = Some(2019)),
            10,
        ),
        (
            "model year 2021",
            VehicleAge,
            with(blank(), |i| i.vehicle.model_year = Some(2021)),
            5,
        ),
        (
            "model year 2022",
            VehicleAge,
            with(blank(), |i| i.vehicle.model_year = Some(2022)),
            0,
        ),
        (
            "103,000 miles",
            VehicleMileage,
            with(blank(), |i| odometer(i, &[(as_of(), 103_000)])),
            10,
        ),
        (
            "60,000 miles",
            VehicleMileage,
            with(blank(), |i| odometer(i, &[(as_of(), 60_000)])),
            5,
        ),
        (
            "59,000 miles",
            VehicleMileage,
            with(blank(), |i| odometer(i, &[(as_of(), 59_000)])),
            0,
        ),
        (
            "bought new 3 years ago",
            WarrantyExpired,
            with(blank(), |i| {
                i.vehicle.bought_new = Some(true);
                i.ownership.start = Some(months_ago(37))
            }),
            5,
        ),
        (
            "bought new 2 years ago, 20,000 miles",
            WarrantyExpired,
            with(blank(), |i| {
                i.vehicle.bought_new = Some(true);
                i.ownership.start = Some(months_ago(24));
                odometer(i, &[(as_of(), 20_000)])
            }),
            0,
        ),
        (
            "bought new 2 years ago, 36,000 miles",
            WarrantyExpired,
            with(blank(), |i| {
                i.vehicle.bought_new = Some(true);
                i.ownership.start = Some(months_ago(24));
                odometer(i, &[(as_of(), 36_000)])
            }),
            5,
        ),
        (
            "bought used, model year 2023",
            WarrantyExpired,
            with(blank(), |i| {
                i.vehicle.bought_new = Some(false);
                i.vehicle.model_year = Some(2023);
                i.ownership.start = Some(months_ago(2))
            }),
            5,
        ),
        (
            "visit 90 days ago",
            LastVisit,
            with(blank(), |i| i.service.last_visit = Some(days_ago(90))),
            5,
        ),
        (
            "visit 180 days ago",
            LastVisit,
            with(blank(), |i| i.service.last_visit = Some(days_ago(180))),
            3,
        ),
        (
            "visit 181 days ago",
            LastVisit,
            with(blank(), |i| i.service.last_visit = Some(days_ago(181))),
            0,
        ),
        (
            "repairs 3 payments, rising",
            RepairSpend,
            with(financed(FinanceType::Loan, 60, 1), |i| {
                i.service.repair_spend_12m = Some(Cents::new(135_000))
            }),
            10,
        ),
        (
            "repairs 1.5 payments, rising",
            RepairSpend,
            with(financed(FinanceType::Loan, 60, 1), |i| {
                i.service.repair_spend_12m = Some(Cents::new(67_500))
            }),
            5,
        ),
        (
            "repairs under 1.5 payments",
            RepairSpend,
            with(financed(FinanceType::Loan, 60, 1), |i| {
                i.service.repair_spend_12m = Some(Cents::new(67_499))
            }),
            0,
        ),
        (
            "repairs high but falling",
            RepairSpend,
            with(financed(FinanceType::Loan, 60, 1), |i| {
                i.service.repair_spend_12m = Some(Cents::new(150_000));
                i.service.repair_spend_prior_12m = Some(Cents::new(200_000))
            }),
            0,
        ),
        (
            "cash buyer: 3 reference payments",
            RepairSpend,
            with(blank(), |i| i.service.repair_spend_12m = Some(Cents::new(157_500))),
            10,
        ),
        (
            "declined $1,000",
            DeclinedWork,
            with(blank(), |i| i.service.declined_big_ticket = Some(Cents::new(100_000))),
            10,
        ),
        (
            "declined $999.99",
            DeclinedWork,
            with(blank(), |i| i.service.declined_big_ticket = Some(Cents::new(99_999))),
            5,
        ),
        (
            "declined $499.99",
            DeclinedWork,
            with(blank(), |i| i.service.declined_big_ticket = Some(Cents::new(49_999))),
            0,
        ),
        ("said 0-3m 90 days ago", Timeframe, timeframe(Tf::Within3Months, 90), 30),
        ("said 0-3m 91 days ago", Timeframe, timeframe(Tf::Within3Months, 91), 0),
        ("said 3-6m", Timeframe, timeframe(Tf::In3To6Months, 0), 20),
        ("said 6-12m", Timeframe, timeframe(Tf::In6To12Months, 0), 10),
        ("said 12m+", Timeframe, timeframe(Tf::After12Months, 0), 0),
        ("said no plans", Timeframe, timeframe(Tf::NoPlans, 0), 0),
        (
            "trade-in yes 180 days ago",
            TradeIn,
            with(blank(), |i| {
                i.facts.trade_in = Some(Dated {
                    value: true,
                    on: days_ago(180),
                })
            }),
            10,
        ),
        (
            "trade-in yes 181 days ago",
            TradeIn,
            with(blank(), |i| {
                i.facts.trade_in = Some(Dated {
                    value: true,
                    on: days_ago(181),
                })
            }),
            0,
        ),
        (
            "trade-in no",
            TradeIn,
            with(blank(), |i| {
                i.facts.trade_in = Some(Dated {
                    value: false,
                    on: as_of(),
                })
            }),
            0,
        ),
        (
            "lead 30 days ago",
            RecentLead,
            with(blank(), |i| i.interest.last_lead = Some(days_ago(30))),
            20,
        ),
        (
            "lead 31 days ago",
            RecentLead,
            with(blank(), |i| i.interest.last_lead = Some(days_ago(31))),
            0,
        ),
        (
            "vehicle of interest",
            VehicleInterest,
            with(blank(), |i| i.interest.vehicle_interest = true),
            5,
        ),
        (
            "asked about new 30 days ago",
            AskedNewVehicle,
            with(blank(), |i| i.interest.asked_new_vehicle = Some(days_ago(30))),
            15,
        ),
        (
            "asked about new 31 days ago",
            AskedNewVehicle,
            with(blank(), |i| i.interest.asked_new_vehicle = Some(days_ago(31))),
            0,
        ),
    ];
    for (name, factor, input, want) in cases {
        assert_eq!(points(&input, factor), want, "{name}: {factor}");
    }
    assert_eq!(
        score(&blank(), &Weights::default()).score,
        0,
        "nothing known scores nothing"
    );
    // a stated timeframe reads in words, not as its bucket
    let said = score(&timeframe(Tf::In3To6Months, 0), &Weights::default());
    assert_eq!(
        said.reasons[0].to_string(),
        "Said they plan to buy in 3 to 6 months (+20)"
    );
}

pub(super) fn timeframe(tf: Timeframe, days: i64) -> ScoreInput {
    with(blank(), |i| {
        i.facts.timeframe = Some(Dated {
            value: tf,
            on: days_ago(days),
        })
    })
}

#[test]
fn the_window_follows_a_fresh_answer_else_the_nearest_event_or_the_score() {
    let w = Window::Within3Months;
    let cases: Vec<(&str, ScoreInput, Window)> = vec![
        ("fresh 0-3m decides alone", timeframe(Timeframe::Within3Months, 90), w),
        (
            "fresh no plans beats a lease ending soon",
            with(financed(FinanceType::Lease, 36, 34), |i| {
                i.facts.timeframe = Some(Dated {
                    value: Timeframe::NoPlans,
                    on: as_of(),
                })
            }),
            Window::After12Months,
        ),
        (
            "fresh 6-12m beats a recent lead",
            with(timeframe(Timeframe::In6To12Months, 10), |i| {
                i.interest.last_lead = Some(as_of())
            }),
            Window::In6To12Months,
        ),
        (
            "a stale answer does not decide",
            timeframe(Timeframe::Within3Months, 91),
            Window::After12Months,
        ),
        (
            "lease ends in 5 months",
            financed(FinanceType::Lease, 36, 31),
            Window::In3To6Months,
        ),
        ("lease has ended", financed(FinanceType::Lease, 36, 40), w),
        (
            "10 loan payments left",
            financed(FinanceType::Loan, 60, 50),
            Window::In6To12Months,
        ),
        (
            "recent lead",
            with(blank(), |i| i.interest.last_lead = Some(days_ago(3))),
            w,
        ),
        (
            "asked about a new vehicle",
            with(blank(), |i| i.interest.asked_new_vehicle = Some(days_ago(3))),
            w,
        ),
        ("score 60 with nothing time-bound", old_car(true), w),
        ("score 40 with nothing time-bound", old_car(false), Window::In3To6Months),
        (
            "score 20",
            with(blank(), |i| {
                i.vehicle.model_year = Some(2019);
                i.service.declined_big_ticket = Some(Cents::new(100_000))
            }),
            Window::In6To12Months,
        ),
        (
            "score 19",
            with(blank(), |i| {
                i.facts.trade_in = Some(Dated {
                    value: true,
                    on: as_of(),
                })
            }),
            Window::After12Months,
        ),
        (
            "a far loan end does not delay a high score",
            with(old_car(true), |i| {
                i.ownership = financed(FinanceType::Loan, 84, 1).ownership
            }),
            w,
        ),
    ];
    for (name, input, want) in cases {
        assert_eq!(score(&input, &Weights::default()).window, want, "{name}");
    }
}
