{{ config(enabled=(
    'asterisk' in var('source_systems', ['landing']) and target.name in ['ci', 'spark']
)) }}

{#- The open calls of the hand-written queue_log: ...9013 entered billing and was connected but
    never closed; ...9014's ENTERQUEUE is missing (its CONNECT and COMPLETECALLER are
    reported, not counted). -#}

with

expected as (

    select
        '1772443500.9013' as contact_id,
        'billing' as queue_id,
        'no closing event' as open_reason
    union all
    select
        '1772443800.9014' as contact_id,
        'tech_support' as queue_id,
        'no ENTERQUEUE' as open_reason

),

actual as (

    select
        contact_id,
        queue_id,
        open_reason
    from {{ ref('stg_asterisk__open_calls') }}

),

missing as (

    select
        contact_id,
        queue_id,
        open_reason
    from expected
    except
    select
        contact_id,
        queue_id,
        open_reason
    from actual

),

unexpected as (

    select
        contact_id,
        queue_id,
        open_reason
    from actual
    except
    select
        contact_id,
        queue_id,
        open_reason
    from expected

),

differences as (

    select
        'missing' as problem,
        missing.contact_id,
        missing.queue_id,
        missing.open_reason
    from missing
    union all
    select
        'unexpected' as problem,
        unexpected.contact_id,
        unexpected.queue_id,
        unexpected.open_reason
    from unexpected

)

select
    problem,
    contact_id,
    queue_id,
    open_reason
from differences
