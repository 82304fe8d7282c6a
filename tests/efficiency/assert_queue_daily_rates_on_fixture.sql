{{ config(enabled=target.name == 'ci') }}

{#- The published rates of the 2026-03-02 phone billing row, by hand: service level
    8 / 12 = 0.6667 misses the 0.80 target; ASA 143 / 9 s; AHT 1940 / 9 s; answer rate
    9 / 12; abandon rate (3 - 1) / 12; FCR 7 / 9 at 2 h and 6 / 9 at 24 h. On 2026-03-10 the
    24 h FCR window of every chain is censored, so the rate is null, not 0. -#}

with

checks as (

    select
        reporting_date,
        service_level,
        meets_sl_target,
        asa_seconds,
        aht_seconds,
        answer_rate,
        abandon_rate,
        fcr_rate_default,
        fcr_rate_24h
    from {{ ref('fct_queue_daily') }}
    where channel = 'phone' and queue_id = 'billing'

),

failures as (

    select reporting_date
    from checks
    where
        reporting_date = cast('2026-03-02' as date)
        and (
            abs(service_level - 8.0 / 12) > 1e-9
            or meets_sl_target
            or abs(asa_seconds - 143.0 / 9) > 1e-9
            or abs(aht_seconds - 1940.0 / 9) > 1e-9
            or abs(answer_rate - 9.0 / 12) > 1e-9
            or abs(abandon_rate - 2.0 / 12) > 1e-9
            or abs(fcr_rate_default - 7.0 / 9) > 1e-9
            or abs(fcr_rate_24h - 6.0 / 9) > 1e-9
        )

    union all

    select reporting_date
    from checks
    where
        reporting_date = cast('2026-03-10' as date)
        and (fcr_rate_24h is not null or abs(fcr_rate_default - 1.0) > 1e-9)

)

select * from failures
