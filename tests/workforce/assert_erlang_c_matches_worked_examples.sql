{#- The Erlang C macros against values published or worked by hand: METRICS.md's check value
    (A = 48, N = 55, t = 15 s, AHT 240 s) and the Call Centre Helper worked example (A = 10,
    N = 11, t = 20 s, AHT 180 s: Pw 0.6821, SL 0.390, ASA 122.8 s). tests/python/test_erlang_c.py
    pins the same numbers with an independent implementation. Returns the cases that miss. -#}
with

worked_examples as (

    select
        'metrics_md' as case_name,
        48.0 as traffic_erlangs,
        240.0 as aht_seconds,
        55 as agent_count,
        0.2387 as expected_wait_probability,
        0.8459 as expected_service_level,
        8.184 as expected_average_speed_of_answer
    union all
    select
        'call_centre_helper' as case_name,
        10.0 as traffic_erlangs,
        180.0 as aht_seconds,
        11 as agent_count,
        0.6821 as expected_wait_probability,
        0.3896 as expected_service_level,
        122.78 as expected_average_speed_of_answer

),

metrics_md_load as (

    select
        case_name,
        traffic_erlangs,
        aht_seconds
    from worked_examples
    where case_name = 'metrics_md'

),

call_centre_helper_load as (

    select
        case_name,
        traffic_erlangs,
        aht_seconds
    from worked_examples
    where case_name = 'call_centre_helper'

),

metrics_md_evaluated as (

    {{ ccm_erlang_c_evaluate('metrics_md_load', ['case_name'], 15.0) }}

),

call_centre_helper_evaluated as (

    {{ ccm_erlang_c_evaluate('call_centre_helper_load', ['case_name'], 20.0) }}

),

evaluated as (

    select * from metrics_md_evaluated
    union all
    select * from call_centre_helper_evaluated

),

misses as (

    select
        worked_examples.case_name,
        evaluated.wait_probability,
        evaluated.service_level,
        evaluated.average_speed_of_answer
    from worked_examples
    left join evaluated
        on
            worked_examples.case_name = evaluated.case_name
            and worked_examples.agent_count = evaluated.agent_count
    where
        evaluated.case_name is null
        or abs(evaluated.wait_probability - worked_examples.expected_wait_probability) > 1e-4
        or abs(evaluated.service_level - worked_examples.expected_service_level) > 1e-4
        or abs(
            evaluated.average_speed_of_answer
            - worked_examples.expected_average_speed_of_answer
        ) > 1e-2

)

select * from misses
