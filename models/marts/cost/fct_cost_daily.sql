{#- Center cost per reporting day (METRICS.md "Cost"): total_cost and its parts, cost per
    contact (all channels, bot sessions included), per resolved issue and per distinct
    customer served, with human and AI cost side by side. Sums the channel mart, except
    customers, who are counted once however many channels they used. -#}
with

channel_days as (

    select
        reporting_date,
        labor_cost,
        telephony_cost,
        bot_platform_cost,
        ai_platform_cost,
        other_cost,
        total_cost,
        human_cost,
        ai_cost,
        contacts,
        resolved_issues,
        human_resolved_issues,
        bot_resolved_issues
    from {{ ref('fct_cost_channel_daily') }}

),

customer_days as (

    select
        {{ ccm_reporting_date('ended_at') }} as reporting_date,
        count(distinct customer_id) as customers_served
    from {{ ref('int_customer_interactions_fcr_flagged') }}
    group by {{ ccm_reporting_date('ended_at') }}

),

days_summed as (

    select
        reporting_date,
        sum(labor_cost) as labor_cost,
        sum(telephony_cost) as telephony_cost,
        sum(bot_platform_cost) as bot_platform_cost,
        sum(ai_platform_cost) as ai_platform_cost,
        sum(other_cost) as other_cost,
        sum(total_cost) as total_cost,
        sum(human_cost) as human_cost,
        sum(ai_cost) as ai_cost,
        sum(contacts) as contacts,
        sum(resolved_issues) as resolved_issues,
        sum(human_resolved_issues) as human_resolved_issues,
        sum(bot_resolved_issues) as bot_resolved_issues
    from channel_days
    group by reporting_date

),

days_costed as (

    select
        days_summed.reporting_date,
        days_summed.labor_cost,
        days_summed.telephony_cost,
        days_summed.bot_platform_cost,
        days_summed.ai_platform_cost,
        days_summed.other_cost,
        days_summed.total_cost,
        days_summed.human_cost,
        days_summed.ai_cost,
        days_summed.contacts,
        days_summed.resolved_issues,
        days_summed.human_resolved_issues,
        days_summed.bot_resolved_issues,
        coalesce(customer_days.customers_served, 0) as customers_served
    from days_summed
    left join customer_days
        on days_summed.reporting_date = customer_days.reporting_date

),

final as (

    select
        cast(reporting_date as date) as reporting_date,
        {{ ccm_cost_metric_columns() }}
    from days_costed

)

select * from final
