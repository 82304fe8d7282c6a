{#- Service level (METRICS.md): contacts answered within the threshold T over a denominator
    that depends on how abandons are treated. Vendors disagree, so the treatment is a
    parameter (var sl_abandon_treatment) and all raw counts are published:
      ignore   = answered within T / (answered + abandoned after T)
      negative = answered within T / (offered - short abandons)
      positive = (answered within T + abandoned within T) / offered
    "Within T" is wait <= T; a short abandon (wait < short_abandon_seconds) is also within T.
    Arguments are SQL expressions of the counts for one group (interval, day, queue). -#}

{% macro ccm_sl_treatment(treatment=none) -%}
    {%- set treatment = var('sl_abandon_treatment') if treatment is none else treatment -%}
    {%- if treatment not in ('ignore', 'negative', 'positive') -%}
        {{ exceptions.raise_compiler_error(
            "sl_abandon_treatment must be ignore, negative or positive, got '" ~ treatment ~ "'"
        ) }}
    {%- endif -%}
    {{ return(treatment) }}
{%- endmacro %}

{% macro ccm_sl_numerator(answered_within_threshold, abandoned_within_threshold, treatment=none) -%}
    {%- if ccm_sl_treatment(treatment) == 'positive' -%}
        ({{ answered_within_threshold }} + {{ abandoned_within_threshold }})
    {%- else -%}
        ({{ answered_within_threshold }})
    {%- endif -%}
{%- endmacro %}

{% macro ccm_sl_denominator(
    offered,
    answered,
    abandoned,
    abandoned_within_threshold,
    short_abandoned,
    treatment=none
) -%}
    {%- set treatment = ccm_sl_treatment(treatment) -%}
    {%- if treatment == 'ignore' -%}
        ({{ answered }} + {{ abandoned }} - {{ abandoned_within_threshold }})
    {%- elif treatment == 'negative' -%}
        ({{ offered }} - {{ short_abandoned }})
    {%- else -%}
        ({{ offered }})
    {%- endif -%}
{%- endmacro %}

{% macro ccm_service_level(
    offered,
    answered,
    abandoned,
    answered_within_threshold,
    abandoned_within_threshold,
    short_abandoned,
    treatment=none
) -%}
    {{ ccm_safe_divide(
        ccm_sl_numerator(answered_within_threshold, abandoned_within_threshold, treatment),
        ccm_sl_denominator(
            offered, answered, abandoned, abandoned_within_threshold, short_abandoned, treatment
        )
    ) }}
{%- endmacro %}

{#- Per contact: the queue wait counts as within the threshold (wait <= T) or as a short
    abandon (wait < short_abandon_seconds). Used where contacts are classified so that the
    edges are decided in one place. -#}
{% macro ccm_is_within_sl_threshold(wait_seconds) -%}
    ({{ wait_seconds }} <= {{ var('sl_threshold_seconds') }})
{%- endmacro %}

{% macro ccm_is_short_abandon_wait(wait_seconds) -%}
    ({{ wait_seconds }} < {{ var('short_abandon_seconds') }})
{%- endmacro %}
