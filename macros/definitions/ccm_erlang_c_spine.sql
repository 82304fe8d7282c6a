{#- Candidate agent counts n = 0 .. 9999 with ln(n!), the running sum of ln(k), so that
    Poisson terms A^n e^-A / n! can be evaluated in log space without overflow. The spine is
    ccm_integers (portable SQL has no loops and no common generate_series). -#}
{% macro ccm_erlang_c_agent_counts() -%}
    select
        n as agent_count,
        sum(ln(greatest(n, 1))) over (
            order by n
            rows between unbounded preceding and current row
        ) as log_factorial
    from ({{ ccm_integers(4) }}) as integers
{%- endmacro %}
