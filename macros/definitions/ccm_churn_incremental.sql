{#- The first reporting month fct_customer_churn_risk re-processes on an incremental run,
    rendered as a date literal (computed once, when the model or its pre-hook is compiled for
    execution): the earlier of
    - the month of the day before the incremental cutoff of its interactions (a reporting day
      starts up to a day before its UTC midnight), the cutoff being the earliest of the
      changed days (with the FCR window before them, whose repeat flags they change), the
      chains re-computed and the interactions judged again upstream;
    - the earliest month whose survey signals changed (ccm_churn_surveys_changed_from: a late
      survey rates an old interaction), already a reporting month.
    A month is the model's grain, so the whole month is computed again; the month is recorded
    for the model's data tests (ccm_reprocessed_from_recorded). Called only on an incremental
    run (is_incremental() is false while dbt parses). The model's SQL computes it first (the
    surveys' comparison reads every month: 0.5-0.7 s at 10 M contacts); the pre-hook, rendered
    after it, takes the month it recorded, the earliest moment it recorded (the cutoff is
    later), and computes it only when nothing is recorded. -#}
{% macro ccm_churn_reprocess_month() -%}
    {%- set recorded_month = ccm_reprocessed_from_so_far() -%}
    {%- if recorded_month is not none -%}
        {{- return("cast('" ~ recorded_month[:10] ~ "' as date)") -}}
    {%- endif -%}
    {%- set cutoff = ccm_incremental_cutoff(
        'period_month',
        also_from=[ccm_chains_recomputed_from(), ccm_interactions_rejudged_from('started_at')]
    ) -%}
    {%- set interactions_month = dbt.date_trunc('month', dbt.dateadd('day', -1, cutoff)) -%}
    {%- set month_sql -%}
        select cast(cast(
            least({{ interactions_month }}, coalesce(({{ ccm_churn_surveys_changed_from() }}), {{ interactions_month }}))
        as date) as {{ dbt.type_string() }})
    {%- endset -%}
    {%- set month_literal = "cast('" ~ run_query(month_sql).columns[0].values()[0] ~ "' as date)" -%}
    {%- do ccm_reprocessed_from_recorded(month_literal) -%}
    {{- month_literal -}}
{%- endmacro %}

{#- A select of the first instant of the earliest month in which a customer's stored low-CSAT or
    detractor count differs from the surveys now attributed to that month (null when none): a
    survey that arrived, moved or vanished since the last run. Only the customer-months the
    model holds are compared; a survey of a month without the customer's interactions scores
    nothing, and new interactions come with their changed days. -#}
{% macro ccm_churn_surveys_changed_from() -%}
    select cast(min(scored.period_month) as {{ dbt.type_timestamp() }})
    from {{ this }} as scored
    left join (
        {{ ccm_churn_survey_months(ref('int_survey_responses_attributed')) }}
    ) as responses
        on
            scored.customer_id = responses.customer_id
            and scored.period_month = responses.period_month
    where
        scored.low_csat_responses <> coalesce(responses.low_csat_responses, 0)
        or scored.detractor_responses <> coalesce(responses.detractor_responses, 0)
{%- endmacro %}

{#- Pre-hook of fct_customer_churn_risk: empties the months the run re-processes, so that a
    customer-month left without interactions (a re-delivery removed them) does not keep its
    row. -#}
{% macro ccm_churn_clear_months() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where period_month >= {{ ccm_churn_reprocess_month() }}
    {%- endif -%}
{%- endmacro %}

{#- Post-hook of fct_customer_churn_risk: the rows of earlier months take each customer's
    segment and churned_at as dim_customers has them now (null for a customer it no longer
    lists), and is_active_at_period_end from them, as a full build would. The rows that differ
    are found first and joined on the model's key: joining every row to its customer inside
    the update took four times as long at 10 M contacts. -#}
{% macro ccm_churn_customers_refreshed() -%}
    {%- if is_incremental() -%}
        update {{ this }} as kept
        set
            segment = changed.segment,
            churned_at = changed.churned_at,
            is_active_at_period_end = {{ ccm_is_active_at_period_end('changed.churned_at', 'kept.period_month') }}
        from (
            select
                kept_rows.customer_id,
                kept_rows.period_month,
                customers.segment,
                customers.churned_at
            from {{ this }} as kept_rows
            left join {{ ref('dim_customers') }} as customers
                on kept_rows.customer_id = customers.customer_id
            where
                kept_rows.segment is distinct from customers.segment
                or kept_rows.churned_at is distinct from customers.churned_at
        ) as changed
        where
            kept.customer_id = changed.customer_id
            and kept.period_month = changed.period_month
    {%- endif -%}
{%- endmacro %}

{#- Whether a customer who churned at `churned_at` (null: still a customer) was still one at the
    end of the reporting month starting on `period_month`, as far as the data knows. -#}
{% macro ccm_is_active_at_period_end(churned_at, period_month) -%}
    ({{ churned_at }} is null
    or {{ churned_at }} >= {{ dbt.dateadd('month', 1, 'cast(' ~ period_month ~ ' as ' ~ dbt.type_timestamp() ~ ')') }})
{%- endmacro %}

{#- A select of the survey signals of each identified customer and reporting month of the rated
    interaction in `responses` (int_survey_responses_attributed or a part of it): its numbers of
    low-CSAT and detractor responses. -#}
{% macro ccm_churn_survey_months(responses) -%}
    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'reporting_date') }} as date) as period_month,
        count(case when is_low_csat then 1 end) as low_csat_responses,
        count(case when is_detractor then 1 end) as detractor_responses
    from {{ responses }}
    where customer_id is not null
    group by customer_id, cast({{ dbt.date_trunc('month', 'reporting_date') }} as date)
{%- endmacro %}
