{{
    config(
        materialized=ccm_incremental_materialization(),
        incremental_strategy='append',
        on_schema_change='fail',
        meta={'incremental_tests_since': 'period_month'},
        pre_hook="{{ ccm_churn_clear_months() }}",
        post_hook="{{ ccm_churn_customers_refreshed() }}"
    )
}}

{#- One row per customer who had at least one interaction in a reporting month. Four signals,
    each worth 25 points when present in the month (0-100):
    - repeat: an interaction the customer came back about within the default FCR window;
    - unresolved: an interaction that ended without an answer (a contact chain no agent
      connected to and that was not self-served, or a dropped bot session);
    - low CSAT: a CSAT response of 1 or 2;
    - detractor: an NPS response of 0 to 6.
    Band: high from 50 (two signals), medium at 25 (one), low at 0. Survey signals count for
    the month of the interaction they rate. A customer is still active at the end of the
    month when churned_at is null or later than the month's end, as far as the data knows.
    Interactions of unidentified callers (null customer_id) belong to no customer and are left
    out; an outbound chain nobody answered is the center's unanswered call, not the customer's
    unresolved issue.
    Incremental by month: a run computes again every month from ccm_churn_reprocess_month on
    (the pre-hook empties them first); the post-hook brings the customer's segment and churn
    in the earlier months up to date, since dim_customers keeps no history and a churn
    recorded today changes the customer's earlier months too. Its tests read every row: a
    month is re-processed whole, from before the changed days the tests of day-keyed models
    start from. -#}
{%- set month_from = ccm_churn_reprocess_month() if is_incremental() else none -%}
{#- An interaction of the month may have started the day before it in UTC. -#}
{%- set started_from = none if month_from is none else dbt.dateadd('day', -1, month_from) -%}
with

interactions as (

    select
        interaction_id,
        interaction_type,
        customer_id,
        started_at,
        is_handled,
        bot_outcome,
        fcr_excluded_reason,
        has_repeat_default
    from {{ ref('int_customer_interactions_fcr_flagged') }}
    where
        customer_id is not null
    {% if started_from is not none %}
            and started_at >= {{ started_from }}
        {% endif %}

),

{# A chain's last segment starts no earlier than the chain. #}
chain_ends as (

    select
        chain_id,
        disposition
    from {{ ref('int_contacts_chained') }}
    where
        is_chain_end
    {% if started_from is not none %}
            and started_at >= {{ started_from }}
        {% endif %}

),

survey_responses as (

    select
        customer_id,
        reporting_date,
        is_low_csat,
        is_detractor
    from {{ ref('int_survey_responses_attributed') }}
    {%- if month_from is not none %}
    where reporting_date >= {{ month_from }}
    {%- endif %}

),

customers as (

    select
        customer_id,
        segment,
        churned_at
    from {{ ref('dim_customers') }}

),

interactions_classified as (

    select
        interactions.customer_id,
        cast({{ dbt.date_trunc('month', ccm_reporting_date('interactions.started_at')) }} as date)
            as period_month,
        interactions.has_repeat_default,
        case
            when interactions.interaction_type = 'bot_session'
                then interactions.bot_outcome = 'dropped'
            else
                not interactions.is_handled
                and coalesce(interactions.fcr_excluded_reason, '') <> 'outbound'
                and coalesce(chain_ends.disposition, '') <> 'self_served'
        end as is_unresolved
    from interactions
    left join chain_ends
        on
            interactions.interaction_type = 'contact_chain'
            and interactions.interaction_id = chain_ends.chain_id

),

{# An interaction of the day before month_from (in UTC) may belong to the month before. #}
interactions_in_scope as (

    select
        customer_id,
        period_month,
        has_repeat_default,
        is_unresolved
    from interactions_classified
    {%- if month_from is not none %}
    where period_month >= {{ month_from }}
    {%- endif %}

),

customer_months as (

    select
        customer_id,
        period_month,
        count(*) as interactions,
        count(case when has_repeat_default then 1 end) as repeat_interactions,
        count(case when is_unresolved then 1 end) as unresolved_interactions
    from interactions_in_scope
    group by customer_id, period_month

),

survey_months as (

    {{ ccm_churn_survey_months('survey_responses') }}

),

signals as (

    select
        customer_months.customer_id,
        customer_months.period_month,
        customer_months.interactions,
        customer_months.repeat_interactions,
        customer_months.unresolved_interactions,
        coalesce(survey_months.low_csat_responses, 0) as low_csat_responses,
        coalesce(survey_months.detractor_responses, 0) as detractor_responses
    from customer_months
    left join survey_months
        on
            customer_months.customer_id = survey_months.customer_id
            and customer_months.period_month = survey_months.period_month

),

scored as (

    select
        customer_id,
        period_month,
        interactions,
        repeat_interactions,
        unresolved_interactions,
        low_csat_responses,
        detractor_responses,
        repeat_interactions > 0 as has_repeat_signal,
        unresolved_interactions > 0 as has_unresolved_signal,
        low_csat_responses > 0 as has_low_csat_signal,
        detractor_responses > 0 as has_detractor_signal,
        25 * (
            case when repeat_interactions > 0 then 1 else 0 end
            + case when unresolved_interactions > 0 then 1 else 0 end
            + case when low_csat_responses > 0 then 1 else 0 end
            + case when detractor_responses > 0 then 1 else 0 end
        ) as churn_risk_score
    from signals

),

final as (

    select
        scored.customer_id,
        scored.period_month,
        customers.segment,
        scored.interactions,
        scored.repeat_interactions,
        scored.unresolved_interactions,
        scored.low_csat_responses,
        scored.detractor_responses,
        scored.has_repeat_signal,
        scored.has_unresolved_signal,
        scored.has_low_csat_signal,
        scored.has_detractor_signal,
        cast(scored.churn_risk_score as bigint) as churn_risk_score,
        case
            when scored.churn_risk_score >= 50 then 'high'
            when scored.churn_risk_score >= 25 then 'medium'
            else 'low'
        end as churn_risk_band,
        customers.churned_at,
        {{ ccm_is_active_at_period_end('customers.churned_at', 'scored.period_month') }}
            as is_active_at_period_end
    from scored
    left join customers
        on scored.customer_id = customers.customer_id

)

select * from final
