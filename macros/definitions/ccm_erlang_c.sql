{#- Erlang C, implemented once for every model and test (METRICS.md "Erlang C").

    METRICS.md states the stable recurrence inv = 1; inv = 1 + inv * n / A (n = 1..N);
    B = 1 / inv. Unrolled, 1 / inv is the Erlang B formula pmf(N) / cdf(N) of a Poisson
    distribution with mean A, which portable SQL can evaluate without a loop: each Poisson
    term is computed in log space (n ln A - A - ln n!, so nothing overflows even for hundreds
    of Erlangs) and the cdf is a running sum over the candidate agent counts. The pytest
    tests/python/test_erlang_c.py checks that both forms agree. -#}

{#- Probability that a contact waits, from Erlang B, for N agents and A Erlangs (N > A). -#}
{% macro ccm_erlang_c_wait_probability(erlang_b, agents, traffic) -%}
    ({{ agents }} * {{ erlang_b }} / ({{ agents }} - {{ traffic }} * (1 - {{ erlang_b }})))
{%- endmacro %}

{#- Share of contacts answered within threshold_seconds: 1 - Pw exp(-(N - A) t / AHT). -#}
{% macro ccm_erlang_c_service_level(
    wait_probability, agents, traffic, threshold_seconds, aht_seconds
) -%}
    (1 - {{ wait_probability }}
        * exp(-({{ agents }} - {{ traffic }}) * {{ threshold_seconds }} / {{ aht_seconds }}))
{%- endmacro %}

{#- Average speed of answer in seconds: Pw AHT / (N - A). -#}
{% macro ccm_erlang_c_asa(wait_probability, agents, traffic, aht_seconds) -%}
    ({{ wait_probability }} * {{ aht_seconds }} / ({{ agents }} - {{ traffic }}))
{%- endmacro %}

{#- One row per load and candidate agent count N with A < N <= A + 10 sqrt(A) + 20 (beyond
    that every realistic target is met; the spine caps N at 9999): wait_probability,
    service_level (at threshold_seconds) and average_speed_of_answer.
    loads_relation needs key_columns, traffic_erlangs (> 0; other rows are skipped) and
    aht_seconds. The result is a single select, usable as a subquery or CTE body. -#}
{% macro ccm_erlang_c_evaluate(loads_relation, key_columns, threshold_seconds) -%}
    {%- set wait_probability = ccm_erlang_c_wait_probability(
        'blocking.erlang_b', 'blocking.agent_count', 'blocking.traffic_erlangs'
    ) -%}
    select
        {% for key in key_columns -%}
            blocking.{{ key }},
        {% endfor -%}
        blocking.traffic_erlangs,
        blocking.aht_seconds,
        blocking.agent_count,
        {{ wait_probability }} as wait_probability,
        {{ ccm_erlang_c_service_level(
            wait_probability, 'blocking.agent_count', 'blocking.traffic_erlangs',
            threshold_seconds, 'blocking.aht_seconds'
        ) }} as service_level,
        {{ ccm_erlang_c_asa(
            wait_probability, 'blocking.agent_count', 'blocking.traffic_erlangs',
            'blocking.aht_seconds'
        ) }} as average_speed_of_answer
    from (
        select
            {% for key in key_columns -%}
                poisson.{{ key }},
            {% endfor -%}
            poisson.traffic_erlangs,
            poisson.aht_seconds,
            poisson.agent_count,
            poisson.poisson_pmf / nullif(sum(poisson.poisson_pmf) over (
                partition by {% for key in key_columns -%}
                    poisson.{{ key }}{{ ', ' if not loop.last }}
                {%- endfor %}
                order by poisson.agent_count
                rows between unbounded preceding and current row
            ), 0) as erlang_b
        from (
            select
                {% for key in key_columns -%}
                    loads.{{ key }},
                {% endfor -%}
                loads.traffic_erlangs,
                loads.aht_seconds,
                agent_counts.agent_count,
                exp(
                    agent_counts.agent_count * ln(loads.traffic_erlangs)
                    - loads.traffic_erlangs
                    - agent_counts.log_factorial
                ) as poisson_pmf
            from {{ loads_relation }} as loads
            cross join ({{ ccm_erlang_c_agent_counts() }}) as agent_counts
            where
                loads.traffic_erlangs > 0
                and agent_counts.agent_count
                <= loads.traffic_erlangs + 10 * sqrt(loads.traffic_erlangs) + 20
        ) as poisson
    ) as blocking
    where blocking.agent_count > blocking.traffic_erlangs
{%- endmacro %}
