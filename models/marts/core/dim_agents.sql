{#- One row per agent on record (latest version), with the attributes that marts break metrics
    down by. The hourly cost stays out: it is one named person's pay, and the marts publish
    cost only summed over agents (int_costs_allocated reads it from staging). -#}
with

agents as (

    select
        agent_id,
        team_id,
        home_queue_id,
        hire_date,
        leave_date
    from {{ ref('stg_wfm__agents') }}

),

final as (

    select
        cast(agent_id as string) as agent_id,
        cast(team_id as string) as team_id,
        cast(home_queue_id as string) as home_queue_id,
        cast(hire_date as date) as hire_date,
        cast(leave_date as date) as leave_date
    from agents

)

select * from final
