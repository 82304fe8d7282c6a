{#- Allocating shared costs to channels must only move money between channels: per day, the
    allocated total equals agent labor (paid hours x hourly cost) plus every cost line. -#}
with

allocated_days as (

    select
        reporting_date,
        sum(amount) as allocated_cost
    from {{ ref('int_costs_allocated') }}
    group by reporting_date

),

labor_days as (

    select
        agent_days.reporting_date,
        sum(agent_days.paid_seconds / 3600.0 * agents.hourly_cost) as labor_cost
    from {{ ref('int_agent_days_timed') }} as agent_days
    inner join {{ ref('stg_wfm__agents') }} as agents
        on agent_days.agent_id = agents.agent_id
    group by agent_days.reporting_date

),

cost_line_days as (

    select
        cost_date as reporting_date,
        sum(amount) as line_cost
    from {{ ref('stg_finance__cost_lines') }}
    group by cost_date

),

source_days as (

    select reporting_date from labor_days
    union
    select reporting_date from cost_line_days

),

mismatches as (

    select
        source_days.reporting_date,
        allocated_days.allocated_cost,
        coalesce(labor_days.labor_cost, 0) + coalesce(cost_line_days.line_cost, 0) as source_cost
    from source_days
    left join allocated_days
        on source_days.reporting_date = allocated_days.reporting_date
    left join labor_days
        on source_days.reporting_date = labor_days.reporting_date
    left join cost_line_days
        on source_days.reporting_date = cost_line_days.reporting_date
    where
        allocated_days.reporting_date is null
        or abs(
            allocated_days.allocated_cost
            - (coalesce(labor_days.labor_cost, 0) + coalesce(cost_line_days.line_cost, 0))
        ) > 1e-6

)

select * from mismatches
