/*
 * Access to data products: each request for access to an output port, its
 * decision and the provisioning of the grant it became, and every change of
 * its status.
 */

// @ts-check

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('dm_access_requests', table => {
    table.comment(
      'Requests for access to an output port, and the grants they became',
    );
    table.uuid('id').primary().comment('the request id, a UUID');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('the product asked for, as a lower-case full ref');
    table.string('port', 255).notNullable().comment('output port name');
    table
      .text('address')
      .nullable()
      .comment('the port address when the request was made');
    table
      .string('port_type', 32)
      .nullable()
      .comment('the port type when the request was made, for the provisioner');
    table
      .string('port_format', 64)
      .nullable()
      .comment(
        'the port format when the request was made, for the provisioner',
      );
    table
      .string('requester', 255)
      .notNullable()
      .comment('the user who asked, as a lower-case full ref');
    table
      .string('consumer', 255)
      .notNullable()
      .comment('the product or component the data is for, lower-case full ref');
    table.text('purpose').notNullable().comment('why the data is needed');
    table
      .string('end_date', 10)
      .notNullable()
      .comment('last day of access, YYYY-MM-DD (UTC)');
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, approved, denied, revoked or expired');
    table
      .text('sensitivity')
      .notNullable()
      .comment('the port sensitivity when the request was made, as JSON');
    table.bigInteger('created_at').notNullable().comment('epoch milliseconds');
    table
      .bigInteger('updated_at')
      .notNullable()
      .comment('epoch milliseconds of the last status change');
    table
      .string('decided_by', 255)
      .nullable()
      .comment('who approved, denied or revoked it, or system');
    table.bigInteger('decided_at').nullable().comment('epoch milliseconds');
    table.text('reason').nullable().comment('why, as the decider wrote it');
    table
      .string('prov_status', 16)
      .notNullable()
      .defaultTo('none')
      .comment('none, pending, granted, failed or revoked');
    table
      .string('prov_action', 8)
      .nullable()
      .comment('grant or revoke: what the provisioner is asked to do');
    table.string('prov_name', 255).nullable().comment('the provisioner asked');
    table
      .integer('attempts')
      .notNullable()
      .defaultTo(0)
      .comment('attempts of the current action');
    table
      .text('last_error')
      .nullable()
      .comment('the last provisioning failure');
    table
      .bigInteger('next_attempt_at')
      .nullable()
      .comment(
        'epoch milliseconds from which the action is (re)tried; null when nothing is left to do',
      );
    table
      .bigInteger('done_at')
      .nullable()
      .comment('epoch milliseconds the current action succeeded');
    table.index(['entity_ref', 'status'], 'dm_access_requests_entity_idx');
    table.index(['status', 'end_date'], 'dm_access_requests_status_idx');
    table.index(['next_attempt_at'], 'dm_access_requests_provisioning_idx');
  });
  // One open request (pending or approved) per port and consumer: a second
  // one, even from two requests at the same instant, is refused.
  await knex.raw(
    `CREATE UNIQUE INDEX dm_access_requests_open_idx ON dm_access_requests (entity_ref, port, consumer) WHERE status IN ('pending', 'approved')`,
  );
  await knex.schema.createTable('dm_access_events', table => {
    table.comment('Every status change of an access request');
    table.increments('id').comment('order of the changes');
    table
      .uuid('request_id')
      .notNullable()
      .references('id')
      .inTable('dm_access_requests')
      .onDelete('CASCADE');
    table
      .string('from_status', 16)
      .nullable()
      .comment('the status before; null for the request itself');
    table.string('to_status', 16).notNullable();
    table.bigInteger('at').notNullable().comment('epoch milliseconds');
    table
      .string('actor', 255)
      .notNullable()
      .comment('a user entity ref, or system');
    table.text('reason').nullable();
    table.index(['request_id'], 'dm_access_events_request_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dm_access_events');
  await knex.schema.dropTable('dm_access_requests');
};
