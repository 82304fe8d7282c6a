{#- Cost per reporting day and channel, shared costs allocated as int_costs_allocated
    documents ('unallocated' holds what cannot be attributed), with cost per contact, per
    resolution and per user, and human cost (labor + telephony) beside AI cost (bot and AI
    platforms). Contacts, resolutions and customers count interactions by the day they ended
    (the attribution of the generation-1 FCR): contact chains by first channel, and bot
    sessions that did not hand off; customers count identified callers only. A cost part
    whose source was never delivered is null (not available), and so is every total and
    ratio that needs it: labor needs agent states and the agents file (a labor row with an
    amount), the other parts need cost lines. -#}
with

costs as (

    select
        reporting_date,
        channel,
        cost_category,
        amount
    from {{ ref('int_costs_allocated') }}

),

interactions as (

    select
        {{ ccm_reporting_date('ended_at') }} as reporting_date,
        channel,
        customer_id,
        interaction_type,
        {{ ccm_is_resolved_issue(
            'interaction_type', 'is_handled', 'bot_outcome', 'is_resolved_default'
        ) }} as is_resolved_issue
    from {{ ref('int_customer_interactions_fcr_flagged') }}

),

cost_sources as (

    select
        coalesce(
            max(case when cost_category = 'labor' and amount is not null then 1 else 0 end), 0
        ) = 1 as has_labor,
        coalesce(max(case when cost_category != 'labor' then 1 else 0 end), 0) = 1
            as has_cost_lines
    from costs

),

channel_day_costs as (

    select
        reporting_date,
        channel,
        sum(case when cost_category = 'labor' then amount else 0 end) as labor_cost,
        sum(case when cost_category = 'telephony' then amount else 0 end) as telephony_cost,
        sum(case when cost_category = 'bot_platform' then amount else 0 end) as bot_platform_cost,
        sum(case when cost_category = 'ai_platform' then amount else 0 end) as ai_platform_cost,
        sum(case when cost_category = 'other' then amount else 0 end) as other_cost
    from costs
    group by reporting_date, channel

),

channel_day_interactions as (

    select
        reporting_date,
        channel,
        count(*) as contacts,
        sum(is_resolved_issue) as resolved_issues,
        sum(case when interaction_type = 'contact_chain' then is_resolved_issue else 0 end)
            as human_resolved_issues,
        sum(case when interaction_type = 'bot_session' then is_resolved_issue else 0 end)
            as bot_resolved_issues,
        count(distinct customer_id) as customers_served
    from interactions
    group by reporting_date, channel

),

channel_days as (

    select
        reporting_date,
        channel
    from channel_day_costs
    union
    select
        reporting_date,
        channel
    from channel_day_interactions

),

channel_days_costed as (

    select
        channel_days.reporting_date,
        channel_days.channel,
        case
            when cost_sources.has_labor then coalesce(channel_day_costs.labor_cost, 0)
        end as labor_cost,
        {% for category in ['telephony', 'bot_platform', 'ai_platform', 'other'] -%}
            case
                when cost_sources.has_cost_lines
                    then coalesce(channel_day_costs.{{ category }}_cost, 0)
            end as {{ category }}_cost,
        {% endfor -%}
        coalesce(channel_day_interactions.contacts, 0) as contacts,
        coalesce(channel_day_interactions.resolved_issues, 0) as resolved_issues,
        coalesce(channel_day_interactions.human_resolved_issues, 0) as human_resolved_issues,
        coalesce(channel_day_interactions.bot_resolved_issues, 0) as bot_resolved_issues,
        coalesce(channel_day_interactions.customers_served, 0) as customers_served
    from channel_days
    cross join cost_sources
    left join channel_day_costs
        on
            channel_days.reporting_date = channel_day_costs.reporting_date
            and channel_days.channel = channel_day_costs.channel
    left join channel_day_interactions
        on
            channel_days.reporting_date = channel_day_interactions.reporting_date
            and channel_days.channel = channel_day_interactions.channel

),

channel_days_totalled as (

    select
        reporting_date,
        channel,
        labor_cost,
        telephony_cost,
        bot_platform_cost,
        ai_platform_cost,
        other_cost,
        labor_cost + telephony_cost + bot_platform_cost + ai_platform_cost + other_cost
            as total_cost,
        labor_cost + telephony_cost as human_cost,
        bot_platform_cost + ai_platform_cost as ai_cost,
        contacts,
        resolved_issues,
        human_resolved_issues,
        bot_resolved_issues,
        customers_served
    from channel_days_costed

),

final as (

    select
        cast(reporting_date as date) as reporting_date,
        cast(channel as string) as channel,
        {{ ccm_cost_metric_columns() }}
    from channel_days_totalled

)

select * from final
