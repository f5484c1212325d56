// A tiny "game" whose frames are driven by a Rust host (examples/game/host.rs).
// The host calls Game.update(dt) every frame, reads and edits the entities, tunes
// the game through a Map, and receives callbacks when the score changes.

class Entity {
	public var name:String;
	public var x:Float;
	public var speed:Float;
	public var laps:Int = 0;

	public function new(name:String, x:Float, speed:Float) {
		this.name = name;
		this.x = x;
		this.speed = speed;
	}

	public function step(dt:Float, trackLength:Float):Bool {
		x += speed * dt;
		if (x >= trackLength) {
			x -= trackLength;
			laps++;
			return true;
		}
		return false;
	}

	public function toString():String
		return '$name@${Std.int(x)}';
}

class Game {
	public static var entities:Array<Entity> = [];
	public static var score:Int = 0;
	public static var frames:Int = 0;
	public static var settings:Map<String, Float> = new Map();
	/** Set by the host: called with (name, score) when an entity completes a lap. */
	public static var onLap:Dynamic = null;
	public static var boosts:Int = 0;

	@:hlNative("host", "log") static function hostLog(msg:String):Void {}

	static function main() {
		settings.set("track", 100.0);
		settings.set("speedFactor", 1.0);
		spawn("red", 0, 60);
		spawn("blue", 50, 45);
		// Every 250 ms of real time, a boost (run by the host's Vm::update).
		new haxe.Timer(250).run = () -> boosts++;
		hostLog("game ready with " + entities.length + " entities");
	}

	public static function spawn(name:String, x:Float, speed:Float):Entity {
		var e = new Entity(name, x, speed);
		entities.push(e);
		return e;
	}

	public static function update(dt:Float):Void {
		frames++;
		var track = settings.get("track");
		var factor = settings.get("speedFactor");
		for (e in entities) {
			if (e.step(dt * factor, track)) {
				score++;
				if (onLap != null)
					onLap(e.name, score);
			}
		}
	}

	public static function leader():Entity {
		var best:Entity = null;
		for (e in entities)
			if (best == null || e.laps * 1000 + e.x > best.laps * 1000 + best.x)
				best = e;
		return best;
	}
}
