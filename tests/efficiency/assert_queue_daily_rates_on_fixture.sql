{#- The published rates of the 2026-03-02 phone billing row, by hand (the counts are worked out
    in assert_queue_daily_known_rows; the day is the same in UTC, Berlin and New York time):
    service level per abandon treatment and threshold, with 9 answered (8 within 20 s, 6
    within 15 s), 3 abandoned (2 within 15 and 20 s, 1 short under 5 and under 10 s), 13
    offered:
      negative: 8 / (13 - 1) at 20 s, 6 / 12 at 15 s;
      ignore:   8 / (9 + 3 - 2) = 0.8 at 20 s (meets the 0.80 target exactly), 6 / 10 at 15 s;
      positive: (8 + 2) / 13 at 20 s, (6 + 2) / 13 at 15 s;
    ASA 143 / 9 s; AHT 1940 / 9 s; answer rate 9 / 12; abandon rate (3 - 1) / 12; FCR with
    reasons matched 7 / 9 at 2 h and 6 / 9 at 24 h, 72 h and 7 d; without 6 / 9 at 2 h, 5 / 9
    at 24 h and 72 h, 4 / 9 at 7 d. On 2026-03-10 the 24 h FCR window of every chain is
    censored, so the rate is null, not 0; at 2 h k090 is resolved (1.0) with reasons matched
    and repeated by bot session b06 (0.0) without. Disabled for var values without a
    hand-computed answer (another time zone, threshold, short-abandon limit, treatment or a
    default window that is not a published one). -#}
{%- set threshold = var('sl_threshold_seconds') | float -%}
{%- set treatment = var('sl_abandon_treatment') -%}
{%- set published_hours = [2, 24, 72, 168] -%}
{%- set default_hours = var('fcr_window_hours') | float -%}
{%- set service_levels = {
    'negative': {20.0: [8, 12], 15.0: [6, 12]},
    'ignore': {20.0: [8, 10], 15.0: [6, 10]},
    'positive': {20.0: [10, 13], 15.0: [8, 13]},
} -%}
{%- set fcr_0302 = {
    'matched': [[7, 9], [6, 9], [6, 9], [6, 9]],
    'unmatched': [[6, 9], [5, 9], [5, 9], [4, 9]],
} -%}
{%- set fcr_0310_default = {'matched': '1.0', 'unmatched': '0.0'} -%}
{%- set has_answers = (
    var('reporting_timezone') in ('UTC', 'Europe/Berlin', 'America/New_York')
    and threshold in (20.0, 15.0)
    and (var('short_abandon_seconds') | float) in (5.0, 10.0)
    and treatment in service_levels
    and default_hours in published_hours
) -%}
{{ config(enabled=target.name == 'ci' and has_answers) }}
{%- set matching = 'matched' if var('fcr_match_reason') else 'unmatched' -%}
{%- set sl = service_levels.get(treatment, {}).get(threshold, [0, 1]) -%}
{%- set fcr_default = fcr_0302[matching][published_hours.index(default_hours)]
    if default_hours in published_hours else [0, 1] -%}
{%- set fcr_24h = fcr_0302[matching][1] %}

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
            abs(service_level - {{ sl[0] }}.0 / {{ sl[1] }}) > 1e-9
            or meets_sl_target != {{ 'true' if sl[0] / sl[1] >= var('sl_target') else 'false' }}
            or abs(asa_seconds - 143.0 / 9) > 1e-9
            or abs(aht_seconds - 1940.0 / 9) > 1e-9
            or abs(answer_rate - 9.0 / 12) > 1e-9
            or abs(abandon_rate - 2.0 / 12) > 1e-9
            or abs(fcr_rate_default - {{ fcr_default[0] }}.0 / {{ fcr_default[1] }}) > 1e-9
            or abs(fcr_rate_24h - {{ fcr_24h[0] }}.0 / {{ fcr_24h[1] }}) > 1e-9
        )

    union all

    select reporting_date
    from checks
    where
        reporting_date = cast('2026-03-10' as date)
        and (
            fcr_rate_24h is not null
            {% if default_hours == 2 -%}
                or fcr_rate_default is null
                or abs(fcr_rate_default - {{ fcr_0310_default[matching] }}) > 1e-9
            {%- else -%}
                or fcr_rate_default is not null
            {%- endif %}
        )

)

select * from failures
