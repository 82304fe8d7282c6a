{#- Every cost of a reporting day, by channel and category (labor, telephony, bot_platform,
    ai_platform, other), with shared costs allocated:
    - labor = logged-in (paid) hours x the agent's hourly cost, split over channels by the
      agent's handling time per channel that day; an agent who handled nothing that day
      cannot be attributed and stays 'unallocated';
    - cost lines with a channel belong to it;
    - cost lines without a channel (shared platforms, overheads) are split over channels by
      the day's share of contacts (interactions ended that day, bot sessions included);
      on a day without contacts they stay 'unallocated'.
    Allocation only moves cost between channels: the day's total is unchanged. -#}
with

agents as (

    select
        agent_id,
        hourly_cost
    from {{ ref('stg_wfm__agents') }}

),

agent_days as (

    select
        agent_id,
        reporting_date,
        paid_seconds
    from {{ ref('int_agent_days_timed') }}

),

agent_handling_shares as (

    select
        agent_id,
        reporting_date,
        channel,
        handling_share
    from {{ ref('int_agent_days_handling_split') }}

),

labor_allocated as (

    select
        agent_days.reporting_date,
        coalesce(agent_handling_shares.channel, 'unallocated') as channel,
        'labor' as cost_category,
        agent_days.paid_seconds / 3600.0 * agents.hourly_cost
        * coalesce(agent_handling_shares.handling_share, 1) as amount
    from agent_days
    inner join agents
        on agent_days.agent_id = agents.agent_id
    left join agent_handling_shares
        on
            agent_days.agent_id = agent_handling_shares.agent_id
            and agent_days.reporting_date = agent_handling_shares.reporting_date

),

cost_lines as (

    select
        cost_date as reporting_date,
        category as cost_category,
        channel,
        amount
    from {{ ref('stg_finance__cost_lines') }}

),

channel_contacts as (

    select
        {{ ccm_reporting_date('ended_at') }} as reporting_date,
        channel,
        count(*) as contacts
    from {{ ref('int_customer_interactions_fcr_flagged') }}
    group by {{ ccm_reporting_date('ended_at') }}, channel

),

contact_shares as (

    select
        reporting_date,
        channel,
        cast(contacts as double) / sum(contacts) over (partition by reporting_date)
            as contact_share
    from channel_contacts

),

direct_lines as (

    select
        reporting_date,
        channel,
        cost_category,
        amount
    from cost_lines
    where channel is not null

),

shared_lines_allocated as (

    select
        cost_lines.reporting_date,
        coalesce(contact_shares.channel, 'unallocated') as channel,
        cost_lines.cost_category,
        cost_lines.amount * coalesce(contact_shares.contact_share, 1) as amount
    from cost_lines
    left join contact_shares
        on cost_lines.reporting_date = contact_shares.reporting_date
    where cost_lines.channel is null

),

cost_components as (

    select
        reporting_date,
        channel,
        cost_category,
        amount
    from labor_allocated
    union all
    select
        reporting_date,
        channel,
        cost_category,
        amount
    from direct_lines
    union all
    select
        reporting_date,
        channel,
        cost_category,
        amount
    from shared_lines_allocated

),

costs_allocated as (

    select
        reporting_date,
        channel,
        cost_category,
        sum(amount) as amount
    from cost_components
    group by reporting_date, channel, cost_category

)

select * from costs_allocated
